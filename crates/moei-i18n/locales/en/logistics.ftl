# logistics: en strings.

## Printed files: nominal roll, manifest, handover receipt
logistics-roll-title = Nominal roll:
logistics-roll-basis-note = Minimal identity data, disclosed on the legal basis recorded for each person.
logistics-generated-by = Prepared for:
logistics-generated-at = Prepared at:
logistics-total = Total persons:
logistics-manifest-title = Movement manifest to
logistics-vehicle = Vehicle:
logistics-escort = Escort:
logistics-departed-at = Departed at:
logistics-receipt-title = Handover receipt
logistics-exit-record = Exit record:
logistics-handed-over-to = Handed over to:
logistics-receipt-signature = Received the persons listed above. Name, signature, date:
logistics-col-photo = Photo
logistics-col-registration-number = Registration no.
logistics-col-family-name = Family name
logistics-col-given-name = Given name
logistics-col-original-script = Name (original script)
logistics-col-sex = Sex
logistics-col-date-of-birth = Date of birth
logistics-col-nationality = Nationality
logistics-col-verification = Verification
logistics-col-travel-document = Travel document
logistics-col-legal-basis = Legal basis
logistics-col-section = Section
logistics-col-arrival = Arrival
