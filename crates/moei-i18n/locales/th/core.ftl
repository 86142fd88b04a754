# Moei: ภาษาไทย. Every key of en.ftl must be here (a test checks).
lang-name = ไทย
yes = มี
no = ไม่มี

## Navigation
nav-skip = ข้ามไปยังเนื้อหา
nav-label = เมนูหลัก
nav-desk = โต๊ะลงทะเบียน
nav-persons = รายชื่อบุคคล
nav-groups = กลุ่มผู้เดินทางเข้า
nav-stats = สถิติ
nav-audit = บันทึกการตรวจสอบ
nav-users = ผู้ใช้งาน
nav-logout = ออกจากระบบ

## Roles
role-admin = ผู้ดูแลระบบ
role-registrar = เจ้าหน้าที่ลงทะเบียน
role-screener = เจ้าหน้าที่คัดกรอง
role-mdt-member = คณะทำงานสหวิชาชีพ
role-investigator = พนักงานสอบสวน
role-facility-manager = ผู้ดูแลสถานที่พักพิง
role-embassy-officer = เจ้าหน้าที่สถานเอกอัครราชทูต
role-analyst = นักวิเคราะห์ข้อมูล

## Login
login-title = เข้าสู่ระบบ
login-username = ชื่อผู้ใช้
login-password = รหัสผ่าน
login-submit = เข้าสู่ระบบ
login-failed = ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง

## Registration desk
desk-title = โต๊ะลงทะเบียน
desk-new-person = ลงทะเบียนบุคคล
desk-register = ลงทะเบียน (Enter)
desk-registered = ลงทะเบียนแล้ว:
desk-group = กลุ่มผู้เดินทางเข้า
desk-leave-group = ออกจากกลุ่ม
desk-groups = กลุ่มล่าสุด
desk-counts = ยอดนับ
desk-keyboard-hint = กด Tab เพื่อเลื่อนช่อง กด Enter เพื่อลงทะเบียน กด Ctrl+Enter เพื่อลงทะเบียนจากช่องหมายเหตุ เพศ: F, M หรือ X วันเกิด: ปปปป-ดด-วว หรือเฉพาะปี
group-new = เปิดกลุ่มผู้เดินทางเข้า
group-open = เปิดกลุ่ม
group-members = สมาชิกในกลุ่มนี้
groups-title = กลุ่มผู้เดินทางเข้า

## Counts
count-today = ลงทะเบียนวันนี้
count-total = ลงทะเบียนทั้งหมด
count-group = ในกลุ่มนี้
count-registered = ลงทะเบียนแล้ว
count-by-nationality = ตามสัญชาติ
count-by-day = รายวัน
stats-title = สถิติ
stats-total = ลงทะเบียนแล้ว { $count } คน

## Fields
field-registration-number = เลขทะเบียน
field-name = ชื่อ (อักษรละติน)
field-given-name = ชื่อตัว
field-family-name = ชื่อสกุล
field-name-original-script = ชื่อในอักษรเดิม
field-sex = เพศ
field-date-of-birth = วันเกิด
field-estimated-age = อายุโดยประมาณ
field-nationality = สัญชาติ (ตามที่แจ้ง)
field-languages = ภาษาที่พูด
field-has-identity-document = มีเอกสารแสดงตน
field-needs = ความต้องการเร่งด่วน
field-notes = หมายเหตุ
field-registered-at = วันที่ลงทะเบียน
field-crossing-point = จุดข้ามแดน
field-mode = วิธีการข้ามแดน
field-arrived-at = เวลาที่มาถึง
field-headcount = จำนวนคน
field-officer = เจ้าหน้าที่
field-arrival-group-id = กลุ่มผู้เดินทางเข้า
field-photo = รูปถ่าย
field-has-photo = มีรูปถ่าย
field-photo-sha256 = ลายนิ้วมือดิจิทัลของรูปถ่าย
field-day = วัน
field-cursor = หน้า
field-q = ค้นหา
field-username = ชื่อผู้ใช้
field-password = รหัสผ่าน
field-agency = หน่วยงาน

## Crossing modes
mode-bridge = สะพาน
mode-boat = เรือ
mode-raft = แพ
mode-wading = เดินลุยน้ำ
mode-vehicle = ยานพาหนะ
mode-other = อื่น ๆ

## Needs
need-injured = บาดเจ็บ
need-medical = ต้องการการรักษาพยาบาล
need-minor = ผู้เยาว์
need-pregnant = ตั้งครรภ์
need-unaccompanied = ไม่มีผู้ปกครองติดตาม

## Person page
persons-title = รายชื่อบุคคล
person-edit = เพิ่มหรือแก้ไขข้อมูล
person-save = บันทึกการแก้ไข
person-photo = รูปถ่าย
person-photo-upload = ไฟล์ JPEG หรือ PNG ไม่เกิน 5 MiB
person-photo-submit = อัปโหลดรูปถ่าย
person-timeline = ประวัติของระเบียน
event-registered = ลงทะเบียน
event-updated = แก้ไขข้อมูล
event-photo = เพิ่มรูปถ่าย

## Search
search-q = เลขทะเบียนหรือชื่อ
search-q-hint = MS-0000123 หรือบางส่วนของชื่อ
search-day = ลงทะเบียนวันที่
search-submit = ค้นหา
search-none = ไม่พบบุคคลที่ตรงกัน
search-next = หน้าถัดไป

## Audit and users
audit-title = บันทึกการตรวจสอบ
audit-at = เมื่อ
audit-who = ผู้กระทำ
audit-action = การกระทำ
audit-target = ระเบียน
audit-origin = จาก
audit-chain-ok = ห่วงโซ่บันทึกการตรวจสอบสมบูรณ์ ({ $count } แถว)
audit-chain-broken = ห่วงโซ่บันทึกการตรวจสอบขาดที่แถว { $seq }
users-title = ผู้ใช้งาน
users-role = บทบาท
users-agency = หน่วยงาน
users-nationalities = สัญชาติที่ดูแล
users-cli-hint = เพิ่มผู้ใช้บนเครื่องแม่ข่ายด้วยคำสั่ง: moei user add NAME --role ROLE --password-stdin

## Errors
error-forbidden = บทบาทของคุณไม่มีสิทธิ์ทำรายการนี้
error-not-found = ไม่พบระเบียนนี้
error-conflict = ระเบียนถูกแก้ไขโดยผู้อื่น กรุณาโหลดใหม่แล้วลองอีกครั้ง
error-internal = เกิดข้อผิดพลาดที่เครื่องแม่ข่าย ไม่มีการบันทึกข้อมูล
error-csrf = แบบฟอร์มนี้หมดอายุแล้ว กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง
err-required = ต้องกรอก
err-too_long = ยาวเกินไป
err-too_short = สั้นเกินไป
err-too_many = มีรายการมากเกินไป
err-control_characters = มีอักขระที่บันทึกไม่ได้
err-invalid_sex = ต้องเป็น F, M หรือ X
err-date_in_future = เป็นวันที่ในอนาคต
err-date_too_old = เกิน 120 ปีที่แล้ว
err-invalid_year = ไม่ใช่ปีที่ถูกต้อง
err-invalid_date_format = ต้องเป็น ปปปป-ดด-วว หรือเฉพาะปี ปปปป
err-impossible_date = ไม่ใช่วันที่ที่มีอยู่จริง
err-out_of_range = อยู่นอกช่วงที่กำหนด
err-unknown_nationality = ไม่ใช่รหัสสัญชาติที่รู้จัก (ใช้ XXX หากไม่ทราบ)
err-invalid_language = ต้องเป็นรหัสภาษา เช่น en, th, my, hi
err-invalid_need = ไม่ใช่ความต้องการที่รู้จัก
err-invalid_id = ไม่ใช่รหัสที่ถูกต้อง
err-unknown_group = ไม่ใช่กลุ่มผู้เดินทางเข้าที่รู้จัก
err-invalid_mode = ไม่ใช่วิธีการข้ามแดนที่รู้จัก
err-invalid_timestamp = ต้องเป็นวันและเวลา เช่น 2025-10-22T14:30:00+07:00
err-unsupported_image = ต้องเป็นรูปภาพ JPEG หรือ PNG
err-too_large = มีขนาดใหญ่เกินไป
err-invalid_cursor = ไม่ใช่หน้าที่ถูกต้อง
err-not_applicable = ใช้ไม่ได้กับบทบาทนี้
err-invalid_username = ใช้ได้เฉพาะ a-z, 0-9, จุด, ขีด และขีดล่าง
err-invalid_agency = ไม่ใช่ชื่อหน่วยงานที่ถูกต้อง
err-invalid = ไม่ถูกต้อง

## Identity documents
documents-title = เอกสารแสดงตน
documents-none = ยังไม่มีการบันทึกเอกสาร
doc-add = บันทึกเอกสาร
doc-kind = ประเภทเอกสาร
doc-status = สถานะ
doc-save = บันทึกเอกสาร
doc-expiry = ใช้ได้ถึง
doc-expired = เอกสารนี้หมดอายุแล้ว
doc-mrz-valid = แถบอักขระที่เครื่องอ่านได้: เลขตรวจสอบถูกต้องทุกหลัก
doc-mrz-invalid = แถบอักขระที่เครื่องอ่านได้: การตรวจสอบไม่ผ่าน (ดูข้อเสนอการแก้ไขใน API)
doc-mrz-hint = พิมพ์ วาง หรือสแกนทั้งสองบรรทัด
doc-disagreements = ข้อมูลในเอกสารไม่ตรงกับที่บุคคลแจ้ง:
doc-stated = ที่แจ้ง
doc-on-document = ในเอกสาร
doc-same-number = เลขเอกสารเดียวกันนี้บันทึกไว้สำหรับ:
doc-kind-passport = หนังสือเดินทาง
doc-kind-national-id = บัตรประจำตัวประชาชน
doc-kind-seafarer-book = หนังสือคนประจำเรือ
doc-kind-visa = วีซ่า
doc-kind-other = เอกสารอื่น
doc-status-original-seen = เห็นฉบับจริง
doc-status-copy-or-photo-only = มีเพียงสำเนาหรือภาพถ่าย
doc-status-confiscated = ถูกนายจ้างหรือผู้ค้ามนุษย์ยึดไว้
doc-status-lost = สูญหาย
doc-status-none = ไม่มี
field-number = เลขที่เอกสาร
field-issuing-state = ประเทศที่ออกเอกสาร
field-expiry-date = ใช้ได้ถึง
field-mrz = แถบอักขระที่เครื่องอ่านได้ (MRZ)
field-document = เอกสาร
event-document = บันทึกเอกสาร
err-invalid_kind = ไม่ใช่ประเภทเอกสารที่รู้จัก
err-invalid_status = ไม่ใช่สถานะเอกสารที่รู้จัก
err-unreadable_mrz = ไม่ใช่แถบอักขระที่เครื่องอ่านได้ตามรูปแบบ ICAO

## Likely earlier registrations
match-title = อาจเคยลงทะเบียนแล้ว
match-hint = ขณะพิมพ์ ระบบจะแสดงผู้ที่ลงทะเบียนไว้แล้วซึ่งอาจเป็นบุคคลเดียวกัน พร้อมเหตุผล กรุณาตรวจสอบก่อนลงทะเบียนซ้ำ
match-none = ไม่พบผู้ที่อาจเคยลงทะเบียนแล้ว
match-probability = ความน่าจะเป็น
