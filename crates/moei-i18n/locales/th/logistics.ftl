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
