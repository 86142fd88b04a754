# logistics: th strings.

## Printed files: nominal roll, manifest, handover receipt
logistics-roll-title = บัญชีรายชื่อ:
logistics-roll-basis-note = ข้อมูลระบุตัวตนเท่าที่จำเป็น เปิดเผยตามฐานทางกฎหมายที่บันทึกไว้สำหรับแต่ละบุคคล
logistics-generated-by = จัดทำให้:
logistics-generated-at = จัดทำเมื่อ:
logistics-total = จำนวนบุคคลทั้งหมด:
logistics-manifest-title = บัญชีผู้เดินทางเคลื่อนย้ายไปยัง
logistics-vehicle = ยานพาหนะ:
logistics-escort = ผู้ควบคุม:
logistics-departed-at = ออกเดินทางเมื่อ:
logistics-receipt-title = ใบรับมอบตัวบุคคล
logistics-exit-record = หลักฐานการเดินทางออก:
logistics-handed-over-to = ส่งมอบให้:
logistics-receipt-signature = ได้รับบุคคลตามรายชื่อข้างต้นแล้ว ชื่อ ลายมือชื่อ วันที่:
logistics-col-photo = รูปถ่าย
logistics-col-registration-number = เลขทะเบียน
logistics-col-family-name = นามสกุล
logistics-col-given-name = ชื่อ
logistics-col-original-script = ชื่อ (อักษรเดิม)
logistics-col-sex = เพศ
logistics-col-date-of-birth = วันเกิด
logistics-col-nationality = สัญชาติ
logistics-col-verification = ผลการตรวจสอบ
logistics-col-travel-document = เอกสารเดินทาง
logistics-col-legal-basis = ฐานทางกฎหมาย
logistics-col-section = แดน
logistics-col-arrival = การมาถึง

## Navigation
nav-facilities = สถานที่พักรอ
nav-movements = การเคลื่อนย้าย
nav-embassy = พื้นที่งานสถานทูต
nav-batches = การเดินทางออก
nav-bottlenecks = จุดคอขวด

## Fields and errors named by the logistics store
field-filter = การเลือกบุคคล
field-to-facility-id = ปลายทาง
field-to-section = แดนที่ปลายทาง
field-vehicle = ยานพาหนะ
field-escort = ผู้ควบคุม
field-capacities = ความจุ
field-capacity = ความจุ
field-verification = การตรวจสอบสัญชาติ
field-travel-document-kind = ประเภทเอกสารเดินทาง
field-travel-document-number = เลขที่เอกสารเดินทาง
field-travel-document-valid-until = ใช้ได้ถึง
field-proposed-departure = วันเดินทางที่เสนอ
field-basis = ฐานทางกฎหมาย
field-carrier = ผู้ให้บริการขนส่ง
field-route = เส้นทาง
field-departure-date = วันเดินทาง
field-outcome = ผลลัพธ์
field-exit-record = บันทึกการออกนอกราชอาณาจักร
field-handed-over-to = ส่งมอบให้แก่
field-rate = จำนวนผู้เดินทางต่อวันทำการ
field-section = แดน
field-case-status = สถานะคดี
err-empty_filter = เลือกอย่างน้อยหนึ่งเงื่อนไข การเลือกที่ว่างเปล่าจะไม่ย้ายทุกคน
err-unknown_value = ไม่ใช่ค่าที่ยอมรับ
err-no_match = ไม่มีผู้ใดตรงกับการเลือกนี้
err-unknown_facility = ไม่พบสถานที่นี้
err-bad_length = ต้องมี 1 ถึง 200 ตัวอักษร (ชื่อสถานที่: 1 ถึง 120)
err-taken = สถานที่อื่นใช้ชื่อนี้แล้ว
err-expired = เอกสารเดินทางหมดอายุแล้ว
err-in_the_past = ต้องไม่เป็นวันที่ผ่านมาแล้ว
err-not_flagged = ไม่มีการแจ้งความกลัวการส่งกลับให้ทบทวน
err-use_departure = ให้บันทึกการเดินทางออกของทั้งชุดแทน
err-bad_date = ต้องเป็นวันที่ในรูปแบบ YYYY-MM-DD
err-not_matched = ไม่มีบุคคลที่มีเลขทะเบียนนี้ในบัญชีรายชื่อของท่าน

## Shared
logistics-filter = ใคร: บุคคลที่ตรงกับเงื่อนไขทั้งหมดนี้
logistics-any = ทั้งหมด
logistics-unplaced = ยังไม่ได้จัดที่พัก (ผู้มาถึงใหม่)
logistics-current-facility = สถานที่ปัจจุบัน
logistics-numbers = เลขทะเบียน (ไม่บังคับ คั่นด้วยช่องว่างหรือจุลภาค)
logistics-none-ticked = เลือกอย่างน้อยหนึ่งคน
logistics-download-pdf = ดาวน์โหลด PDF
logistics-download-xlsx = ดาวน์โหลด XLSX
logistics-download-csv = ดาวน์โหลด CSV
logistics-select = เลือก
logistics-unchanged = (ไม่เปลี่ยนแปลง)
logistics-section-men = ชาย
logistics-section-women = หญิง
logistics-section-families = ครอบครัว
logistics-section-minors = ผู้เยาว์
logistics-section-keep = คงแดนเดิม

## Facilities
logistics-facilities-title = สถานที่พักรอและจำนวนผู้พัก
logistics-no-facilities = ยังไม่มีสถานที่
logistics-facility = สถานที่
logistics-occupied = จำนวนผู้พัก
logistics-level = สถานะ
logistics-level-ok = ยังมีที่ว่าง
logistics-level-near-capacity = ใกล้เต็มความจุ
logistics-level-over-capacity = เกินความจุ
logistics-total-row = รวม
logistics-kind-holding = สถานที่พักรอ
logistics-kind-departure-point = จุดเดินทางออก
logistics-facility-create = เพิ่มสถานที่
logistics-facility-submit = สร้างสถานที่

## A person's logistics page
logistics-person-title = ที่อยู่และการคุ้มครอง
logistics-person-record = กลับไปที่ประวัติบุคคล
logistics-location-history = ประวัติสถานที่
logistics-never-moved = ยังไม่เคยถูกย้าย
logistics-protection = ความกลัวการส่งกลับ
logistics-protection-hint = การแจ้งนี้จะระงับการเปิดเผยข้อมูลต่อสถานทูตและการจัดเข้าชุดเดินทางจนกว่าจะได้รับการทบทวน เหตุผลจะเก็บไว้ในระบบ Moei และไม่ส่งถึงสถานทูต
logistics-protection-flagged = กลัวการส่งกลับ: แจ้งเพื่อทบทวน
logistics-protection-upheld = ทบทวนแล้ว: ยืนยันความกลัว (ยังคงระงับ)
logistics-protection-cleared = ทบทวนแล้ว: ยกเลิกการระงับ
logistics-protection-submit = บันทึก
logistics-protection-saved-flagged = บันทึกความกลัวการส่งกลับแล้ว ระงับการเปิดเผยข้อมูลและการเดินทางจนกว่าจะทบทวน
logistics-protection-saved-upheld = ยืนยันความกลัวการส่งกลับแล้ว ยังคงระงับการเปิดเผยข้อมูลและการเดินทาง
logistics-protection-saved-cleared = ยกเลิกการแจ้งความกลัวการส่งกลับแล้ว
logistics-basis = ฐานทางกฎหมายในการเปิดเผยข้อมูลต่อสถานทูต
logistics-basis-consent = ความยินยอมของบุคคล
logistics-basis-legal-obligation = หน้าที่ตามกฎหมาย
logistics-basis-vital-interest = ประโยชน์สำคัญต่อชีวิตของบุคคล
logistics-basis-public-interest = ประโยชน์สาธารณะ
logistics-basis-submit = บันทึกฐานทางกฎหมาย
logistics-basis-saved = บันทึกฐานทางกฎหมายแล้ว:

## Movements
logistics-movements-title = ย้ายบุคคล
logistics-move-intro = เลือกผู้ที่จะย้ายตามเงื่อนไขด้านล่าง (ใช้ร่วมกันทั้งหมด) แล้วเลือกปลายทาง ทุกคนที่ตรงเงื่อนไขจะถูกย้ายในครั้งเดียวพร้อมบัญชีรายชื่อเดียว
logistics-destination = ไปที่ใด
logistics-move-submit = ย้ายทุกคนที่ตรงเงื่อนไข
logistics-moved = ย้ายแล้ว { $count } คน
logistics-checked = ยืนยันการมาถึงแล้ว { $count } คน
logistics-departed = ออกเดินทาง
logistics-arrived-at = ปิดการตรวจการมาถึง
logistics-arrival-open = การตรวจการมาถึงยังเปิดอยู่
logistics-counts = การตรวจการมาถึง
logistics-arrival-expected = รอการมาถึง
logistics-arrival-arrived = มาถึงแล้ว
logistics-arrival-missing = สูญหาย
logistics-tick-arrived = มาถึงแล้ว
logistics-all-present = มาครบทุกคน
logistics-record-arrivals = บันทึกผู้ที่เลือกว่ามาถึงแล้ว
logistics-close-hint = การปิดการตรวจการมาถึงจะบันทึกผู้ที่ยังไม่ได้ยืนยันว่าสูญหายและแจ้งเตือนทันที
logistics-close-arrival = ปิดการตรวจการมาถึง
logistics-missing-alert = สูญหายระหว่างการเดินทาง: { $count } คน โปรดรายงานทันที

## Embassy workspace
logistics-embassy-title = พื้นที่งานสถานทูต
logistics-roll-show = แสดงบัญชีรายชื่อ
logistics-roll-empty = ยังไม่มีผู้ใดในบัญชีรายชื่อนี้ที่เปิดเผยข้อมูลได้
logistics-verification-pending = รอดำเนินการ
logistics-verification-confirmed = ยืนยันแล้ว
logistics-verification-not-confirmed = ไม่ได้รับการยืนยัน
logistics-verification-interview-needed = ต้องสัมภาษณ์
logistics-doc-passport = หนังสือเดินทาง
logistics-doc-emergency-certificate = เอกสารเดินทางฉุกเฉิน
logistics-doc-laissez-passer = เอกสารผ่านแดน (Laissez-passer)
logistics-consular-title = บันทึกผลการตรวจสอบ
logistics-consular-submit = บันทึกผลการตรวจสอบ
logistics-consular-saved = บันทึกผลการตรวจสอบของ { $number } แล้ว
logistics-import-title = อัปโหลดผลการตรวจสอบ
logistics-import-hint = ไฟล์ XLSX ที่มีแถวหัวตารางระบุ registration_number และคอลัมน์ที่จะปรับปรุง (ผลการตรวจสอบ ประเภท เลขที่ และวันหมดอายุของเอกสารเดินทาง วันเดินทางที่เสนอ)
logistics-import-submit = ตรวจสอบและนำเข้าไฟล์
logistics-import-summary = แถวที่ถูกต้อง: { $valid } แถวที่มีปัญหา: { $rejected } แถวที่นำเข้าแล้ว: { $applied }
logistics-line = แถว
logistics-problems = ปัญหา
logistics-row-ok = ถูกต้อง
logistics-row-not-matched = ไม่อยู่ในบัญชีรายชื่อของท่าน
logistics-row-invalid = ไม่ถูกต้อง
logistics-apply-valid = นำเข้าเฉพาะ { $count } แถวที่ถูกต้อง ไม่รวมแถวอื่น

## Departure batches
logistics-batches-title = ชุดการเดินทางออก
logistics-no-batches = ยังไม่มีชุดการเดินทางออก
logistics-batch-create = สร้างชุดใหม่
logistics-batch-submit = สร้างชุดการเดินทาง
logistics-batch-kind-flight = เที่ยวบิน
logistics-batch-kind-bus = รถโดยสาร
logistics-batch-status-planned = วางแผนแล้ว
logistics-batch-status-departed = ออกเดินทางแล้ว
logistics-batch-status-cancelled = ยกเลิก
logistics-seats = ที่นั่งที่ใช้แล้ว
logistics-assign-title = จัดบุคคลเข้าชุด
logistics-assign-hint = ทุกคนที่ตรงเงื่อนไขและได้รับอนุญาตให้เดินทางจะถูกจัดเข้าชุด ส่วนผู้อื่นจะแสดงพร้อมเหตุผล
logistics-assign-submit = จัดทุกคนที่ตรงเงื่อนไขเข้าชุด
logistics-assigned = จัดเข้าชุดแล้ว { $count } คน
logistics-refused = ไม่สามารถจัดเข้าชุดได้ { $count } คน:
logistics-reasons = เหตุผล
logistics-assign-conflict = ไม่ได้จัดผู้ใดเข้าชุด: ผู้ที่ได้รับอนุญาตมีมากกว่าที่นั่งที่เหลือ หรือชุดนี้ออกเดินทางไปแล้ว
logistics-batch-closed = ชุดนี้ออกเดินทางไปแล้วหรือถูกยกเลิก
logistics-depart-conflict = ชุดนี้ออกเดินทางไม่ได้: ไม่มีผู้ใดอยู่ในชุด หรือออกเดินทางไปแล้ว
logistics-block-no-embassy = ไม่มีสถานทูตในประเทศ
logistics-block-fears-return = กลัวการส่งกลับ
logistics-block-nationality-unconfirmed = ยังไม่ยืนยันสัญชาติ
logistics-block-no-travel-document = ไม่มีเอกสารเดินทางที่ใช้ได้
logistics-block-unscreened = ยังไม่ได้คัดกรอง
logistics-block-awaiting-mdt = รอคณะทำงานสหวิชาชีพ
logistics-block-held-for-prosecution = ถูกกักไว้เพื่อดำเนินคดี
logistics-block-already-assigned = อยู่ในชุดการเดินทางที่วางแผนไว้แล้ว
logistics-batch-persons = บุคคลในชุดนี้
logistics-batch-empty = ยังไม่มีผู้ใดถูกจัดเข้าชุด
logistics-outcome-assigned = จัดเข้าชุดแล้ว
logistics-outcome-departed = ออกเดินทางแล้ว
logistics-outcome-no-show = ไม่มาตามนัด
logistics-outcome-withdrawn = ถอนตัว
logistics-reentry-ban = ห้ามกลับเข้าประเทศ
logistics-outcome-submit = บันทึกสำหรับผู้ที่เลือก
logistics-outcomes-saved = บันทึกผลลัพธ์สำหรับ { $count } คนแล้ว
logistics-depart-title = การเดินทางออกและพิธีการขาออก
logistics-depart-hint = ทุกคนที่ยังอยู่ในชุดจะออกเดินทาง การพักสิ้นสุดลง และใบรับมอบตัวพร้อมใช้งาน
logistics-depart-submit = บันทึกการเดินทางออก
logistics-receipt-download = ดาวน์โหลดใบรับมอบตัว (PDF)

## Bottlenecks
logistics-bottlenecks-title = จุดคอขวด
logistics-present = มีผู้อยู่ { $count } คน
logistics-projected = ที่อัตรา { $rate } คนต่อวันทำการ ทุกคนจะเดินทางออกได้ภายใน { $date }
logistics-projected-none = ไม่มีการคาดการณ์: ไม่มีผู้ใดอยู่
logistics-embassy = สถานทูต
logistics-present-col = อยู่
logistics-assigned-col = จัดเข้าชุดแล้ว
logistics-ready = พร้อม
logistics-blocked = ติดขัด
logistics-rate-title = อัตราการเดินทางออกที่วางแผนไว้
logistics-rate-submit = บันทึกอัตรา

## Movements list, preview before acting, departure time
logistics-movements-list = การเคลื่อนย้าย
logistics-no-movements = ยังไม่มีการเคลื่อนย้าย
logistics-from = จาก
logistics-on-board = จำนวนบนรถ
logistics-arrival-check = การตรวจการมาถึง
logistics-arrival-closed = ปิดแล้ว
logistics-preview = ดูตัวอย่าง: นับผู้ที่ตรงเงื่อนไข
logistics-preview-count = มีผู้ตรงเงื่อนไข { $count } คน ยังไม่มีผู้ใดถูกย้ายหรือจัดเข้าชุดเดินทาง
field-departed-at = เวลาออกเดินทาง
logistics-departed-at-hint = เวลากรุงเทพฯ เว้นว่างไว้หากรถออกเดินทางตอนนี้
err-too_far_ahead = ต้องไม่เกินหนึ่งวันนับจากตอนนี้
field-limit = จำนวนผลลัพธ์

## Protection state on a person's logistics page
logistics-person-link = ที่อยู่และการคุ้มครอง
logistics-protection-state = สถานะการคุ้มครองปัจจุบัน
logistics-fear-of-return = ความกลัวการส่งกลับ
logistics-protection-state-flagged = แจ้งแล้ว ยังไม่ได้ทบทวน (ระงับการเปิดเผยข้อมูลและการเดินทาง)
logistics-protection-state-upheld = ทบทวนแล้ว ยืนยันความกลัว (ระงับการเปิดเผยข้อมูลและการเดินทาง)
logistics-protection-state-cleared = ทบทวนแล้ว ยกเลิกการระงับ
logistics-none-recorded = ยังไม่มีการบันทึก
logistics-by-at = โดย { $who } เมื่อ { $when }
logistics-reviewed = ทบทวนแล้ว
logistics-disclosable = เปิดเผยข้อมูลตัวตนต่อสถานทูตได้
