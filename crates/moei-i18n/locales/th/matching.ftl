# matching: th strings.

## Navigation
nav-review = คิวตรวจสอบ
nav-lists = รายชื่อ
nav-missing = บุคคลสูญหาย

## Review queue
review-title = คิวตรวจสอบ
review-intro = คู่ที่อาจเป็นบุคคลเดียวกัน เรียงตามคะแนนสูงสุดก่อน เปรียบเทียบทั้งสองระเบียนและเหตุผล แล้วจึงตัดสินใจ ทุกการตัดสินใจจะถูกบันทึก
review-filter = แสดง
review-kind = ประเภท
review-status = สถานะ
review-any = ทั้งหมด
review-empty = ไม่มีรายการที่ต้องตรวจสอบ
review-run-dedup = ค้นหาการลงทะเบียนซ้ำ
review-run-reports = จับคู่รายงานบุคคลสูญหายที่ยังเปิดอยู่ทั้งหมด
review-run-done = เพิ่มคู่ที่อาจตรงกันใหม่ { $count } รายการในคิว
review-probability = ความน่าจะเป็นที่ตรงกัน: { $percent } %
review-this-person = บุคคลที่ลงทะเบียนแล้ว
review-other = ระเบียนที่อาจตรงกัน
review-why = เหตุผล
review-decided = { $status } โดย { $by }
review-reason = เหตุผล (จำเป็นเมื่อปฏิเสธ)
review-confirm = ยืนยัน: เป็นบุคคลเดียวกัน
review-reject = ปฏิเสธ: ไม่ใช่บุคคลเดียวกัน
review-merge = รวมการลงทะเบียนครั้งที่สองเข้ากับครั้งแรก
review-undo = ยกเลิกการรวม
review-merge-hint = การรวมจะเก็บทั้งสองระเบียนและประวัติทั้งหมดไว้ รายการและการค้นหาจะแสดงเฉพาะระเบียนแรก และสามารถยกเลิกได้
review-open-record = เปิดระเบียน
kind-duplicate = การลงทะเบียนซ้ำ
kind-list = รายชื่อจากภายนอก
kind-missing = รายงานบุคคลสูญหาย
status-open = รอตรวจสอบ
status-confirmed = ยืนยันแล้ว
status-rejected = ปฏิเสธแล้ว
status-merged = รวมแล้ว
match-agrees = ตรงกัน
match-differs = ไม่ตรงกัน
match-missing = ไม่ทราบข้อมูลฝั่งใดฝั่งหนึ่ง
match-field-name = ชื่อ
match-field-dateofbirth = วันเกิด
match-field-sex = เพศ
match-field-nationality = สัญชาติ
match-field-document = เลขที่เอกสาร
match-field-phone = โทรศัพท์
match-field-place = ภูมิลำเนา
field-record-id = รหัสระเบียน
field-passport-number = เลขที่หนังสือเดินทาง
field-phone = โทรศัพท์
field-place-of-origin = ภูมิลำเนา
field-full-name = ชื่อเต็ม
field-merged-into = รวมเข้ากับ
field-merged-from = รวมมาจาก
field-reason = เหตุผล
field-decision = การตัดสินใจ
field-candidate-id = คู่ที่อาจตรงกัน
field-merged-id = ระเบียนที่จะรวม
field-file = ไฟล์
field-source = แหล่งที่มาหรือหน่วยงาน
field-kind = ประเภท
field-status = สถานะ
event-merge = รวมระเบียนแล้ว
event-unmerge = ยกเลิกการรวมแล้ว

## Lists
lists-title = รายชื่อ
lists-intro = รายชื่อจากหน่วยงาน บัญชีรายชื่อของสถานทูต และรายชื่ออื่น ๆ ซึ่งจับคู่กับทุกคนที่ลงทะเบียนแล้ว ไฟล์ต้องมีคอลัมน์ record_id คอลัมน์อื่นเหมือนกับคำสั่ง moei link
lists-import = นำเข้ารายชื่อ
lists-file = ไฟล์ CSV หรือ XLSX
lists-accept = เก็บแถวที่ถูกต้องไว้แม้บางแถวจะมีปัญหา
lists-submit = นำเข้าและจับคู่
lists-rows = จำนวนแถว
lists-rejected = แถวที่ไม่ได้นำเข้า
lists-imported = นำเข้ารายชื่อแล้ว: { $count } แถว
lists-problems = แถวที่มีปัญหา (ยังไม่ได้บันทึกสิ่งใด):
lists-problems-kept = แถวที่ไม่ได้นำเข้า:
list-kind-authority_list = รายชื่อจากหน่วยงาน
list-kind-embassy_roll = บัญชีรายชื่อของสถานทูต
list-kind-other = รายชื่ออื่น
field-list-name = ชื่อรายชื่อ

## Missing-person reports
missing-title = รายงานบุคคลสูญหาย
missing-intro = รายงานที่องค์กรพัฒนาเอกชนหรือสถานทูตบันทึกแทนครอบครัว ระบบจะจับคู่กับทุกคนที่ลงทะเบียนแล้วเมื่อบันทึก และทุกครั้งที่เริ่มการจับคู่
missing-new = รายงานใหม่
missing-person = บุคคลที่สูญหาย
missing-reporter = สมาชิกครอบครัวผู้แจ้ง
missing-consent = ครอบครัวยินยอมให้แบ่งปันรายงานนี้กับสถานทูตของประเทศตน
missing-submit = บันทึกและจับคู่
missing-saved = บันทึกรายงานแล้ว เพิ่มคู่ที่อาจตรงกัน { $count } รายการในคิวตรวจสอบ
missing-status-open = ยังสูญหาย
missing-status-found = พบตัวแล้ว
missing-family-informed = แจ้งครอบครัวแล้ว
missing-inform = บันทึกว่าได้แจ้งครอบครัวแล้ว
missing-none = ไม่มีรายงาน
field-last-contact = การติดต่อครั้งล่าสุด
field-reporter-name = ชื่อผู้แจ้ง
field-reporter-relationship = ความสัมพันธ์กับผู้สูญหาย
field-reporter-contact = ช่องทางติดต่อผู้แจ้ง
field-consent-to-share = ยินยอมให้แบ่งปันกับสถานทูต
field-reporting-agency = องค์กรผู้แจ้ง

## Errors
err-name_required = ต้องระบุชื่ออย่างน้อยหนึ่งชื่อ ในอักษรใดก็ได้
err-no_records = ไฟล์ไม่มีแถวที่ใช้ได้
err-outside_scope = เจ้าหน้าที่สถานทูตแจ้งได้เฉพาะคนสัญชาติของตน
err-same_person = ไม่สามารถรวมระเบียนเข้ากับตัวเองได้
err-not_this_pair = ไม่ใช่คู่ที่อาจตรงกันของสองระเบียนนี้
err-invalid_decision = ต้องเป็นยืนยัน ปฏิเสธ หรือรวม
err-not_a_duplicate = รวมได้เฉพาะการลงทะเบียนซ้ำเท่านั้น
