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

## Navigation
nav-facilities = Facilities
nav-movements = Movements
nav-embassy = Embassy workspace
nav-batches = Departures
nav-bottlenecks = Bottlenecks

## Fields and errors named by the logistics store
field-filter = Selection
field-to-facility-id = Destination
field-to-section = Section at destination
field-vehicle = Vehicle
field-escort = Escort
field-capacities = Capacities
field-capacity = Capacity
field-verification = Nationality verification
field-travel-document-kind = Travel document kind
field-travel-document-number = Travel document number
field-travel-document-valid-until = Valid until
field-proposed-departure = Proposed departure
field-basis = Legal basis
field-carrier = Carrier
field-route = Route
field-departure-date = Departure date
field-outcome = Outcome
field-exit-record = Exit record
field-handed-over-to = Handed over to
field-rate = Departures per weekday
field-section = Section
field-case-status = Case status
err-empty_filter = choose at least one criterion; an empty selection never moves everyone
err-unknown_value = is not one of the accepted values
err-no_match = nobody matches this selection
err-unknown_facility = no such facility
err-bad_length = must be 1 to 200 characters (a facility name: 1 to 120)
err-taken = is already used by another facility
err-expired = the travel document has already expired
err-in_the_past = cannot be in the past
err-not_flagged = there is no fear-of-return flag to review
err-use_departure = record the departure of the batch instead
err-bad_date = must be a date written YYYY-MM-DD
err-not_matched = no person with this registration number on your roll

## Shared
logistics-filter = Who: persons matching all of these
logistics-any = Any
logistics-unplaced = Not placed yet (new arrivals)
logistics-current-facility = Current facility
logistics-numbers = Registration numbers (optional, separated by spaces or commas)
logistics-none-ticked = Tick at least one person.
logistics-download-pdf = Download PDF
logistics-download-xlsx = Download XLSX
logistics-download-csv = Download CSV
logistics-select = Select
logistics-unchanged = (unchanged)
logistics-section-men = Men
logistics-section-women = Women
logistics-section-families = Families
logistics-section-minors = Minors
logistics-section-keep = Keep the current section

## Facilities
logistics-facilities-title = Facilities and occupancy
logistics-no-facilities = No facilities yet.
logistics-facility = Facility
logistics-occupied = Occupied
logistics-level = Status
logistics-level-ok = Room available
logistics-level-near-capacity = Near capacity
logistics-level-over-capacity = Over capacity
logistics-total-row = Total
logistics-kind-holding = Holding site
logistics-kind-departure-point = Departure point
logistics-facility-create = New facility
logistics-facility-submit = Create facility

## A person's logistics page
logistics-person-title = whereabouts and protection
logistics-person-record = Back to the person's record
logistics-location-history = Location history
logistics-never-moved = Not moved yet.
logistics-protection = Fear of return
logistics-protection-hint = A flag blocks sharing with the embassy and assignment to a departure until it is reviewed. The reason stays in Moei and never reaches an embassy.
logistics-protection-flagged = Fears return: flag for review
logistics-protection-upheld = Reviewed: fear upheld (stays blocked)
logistics-protection-cleared = Reviewed: cleared (block lifted)
logistics-protection-submit = Record
logistics-protection-saved-flagged = Fear of return flagged. Sharing and departure are blocked until reviewed.
logistics-protection-saved-upheld = Fear of return upheld. Sharing and departure stay blocked.
logistics-protection-saved-cleared = Fear-of-return flag cleared.
logistics-basis = Legal basis for disclosure to the embassy
logistics-basis-consent = Consent of the person
logistics-basis-legal-obligation = Legal obligation
logistics-basis-vital-interest = Vital interest of the person
logistics-basis-public-interest = Public interest
logistics-basis-submit = Record the legal basis
logistics-basis-saved = Legal basis recorded:

## Movements
logistics-movements-title = Move people
logistics-move-intro = Choose who moves by the criteria below (they combine), then the destination. Everyone who matches moves in one action, with one manifest.
logistics-destination = Where to
logistics-move-submit = Move everyone who matches
logistics-moved = { $count } persons moved.
logistics-checked = { $count } persons checked off as arrived.
logistics-departed = Departed
logistics-arrived-at = Arrival closed
logistics-arrival-open = Arrival check open
logistics-counts = Arrival check
logistics-arrival-expected = Expected
logistics-arrival-arrived = Arrived
logistics-arrival-missing = Missing
logistics-tick-arrived = arrived
logistics-all-present = All present
logistics-record-arrivals = Record the ticked arrivals
logistics-close-hint = Closing the arrival check marks everyone not checked off as missing and raises an alert.
logistics-close-arrival = Close the arrival check
logistics-missing-alert = Missing on arrival: { $count } persons. Report them at once.

## Embassy workspace
logistics-embassy-title = Embassy workspace
logistics-roll-show = Show the roll
logistics-roll-empty = Nobody on this roll may be disclosed yet.
logistics-verification-pending = Pending
logistics-verification-confirmed = Confirmed
logistics-verification-not-confirmed = Not confirmed
logistics-verification-interview-needed = Interview needed
logistics-doc-passport = Passport
logistics-doc-emergency-certificate = Emergency certificate
logistics-doc-laissez-passer = Laissez-passer
logistics-consular-title = Record a verification
logistics-consular-submit = Save the verification
logistics-consular-saved = Verification saved for { $number }.
logistics-import-title = Upload verification results
logistics-import-hint = An XLSX file with a header row naming registration_number and the columns to update (verification, travel document kind, number, validity, proposed departure).
logistics-import-submit = Check and apply the file
logistics-import-summary = Valid rows: { $valid }. Rows with problems: { $rejected }. Rows applied: { $applied }.
logistics-line = Row
logistics-problems = Problems
logistics-row-ok = OK
logistics-row-not-matched = Not on your roll
logistics-row-invalid = Invalid
logistics-apply-valid = Apply the { $count } valid rows, leave out the others

## Departure batches
logistics-batches-title = Departure batches
logistics-no-batches = No departure batches yet.
logistics-batch-create = New batch
logistics-batch-submit = Create batch
logistics-batch-kind-flight = Flight
logistics-batch-kind-bus = Bus
logistics-batch-status-planned = Planned
logistics-batch-status-departed = Departed
logistics-batch-status-cancelled = Cancelled
logistics-seats = Seats taken
logistics-assign-title = Assign people
logistics-assign-hint = Everyone who matches and is cleared to leave is assigned; the others are listed with their reasons.
logistics-assign-submit = Assign everyone who matches
logistics-assigned = { $count } persons assigned.
logistics-refused = { $count } persons could not be assigned:
logistics-reasons = Reasons
logistics-assign-conflict = Nothing was assigned: more persons are cleared than seats are left, or the batch has already left.
logistics-batch-closed = This batch has already left or was cancelled.
logistics-depart-conflict = The batch cannot depart: nobody is assigned to it, or it has already left.
logistics-block-no-embassy = No embassy in the country
logistics-block-fears-return = Fears return
logistics-block-nationality-unconfirmed = Nationality not confirmed
logistics-block-no-travel-document = No valid travel document
logistics-block-unscreened = Not screened
logistics-block-awaiting-mdt = Awaiting the MDT
logistics-block-held-for-prosecution = Held for prosecution
logistics-block-already-assigned = Already on a planned departure
logistics-batch-persons = Persons on this batch
logistics-batch-empty = Nobody is assigned yet.
logistics-outcome-assigned = Assigned
logistics-outcome-departed = Departed
logistics-outcome-no-show = No-show
logistics-outcome-withdrawn = Withdrawn
logistics-reentry-ban = Re-entry ban
logistics-outcome-submit = Record for the ticked persons
logistics-outcomes-saved = Outcome recorded for { $count } persons.
logistics-depart-title = Departure and exit formalities
logistics-depart-hint = Everyone still assigned departs; their stay ends and the handover receipt is ready.
logistics-depart-submit = Record the departure
logistics-receipt-download = Download the handover receipt (PDF)

## Bottlenecks
logistics-bottlenecks-title = Bottlenecks
logistics-present = { $count } persons present.
logistics-projected = At { $rate } departures per weekday, everyone could have left by { $date }.
logistics-projected-none = No projection: nobody is present.
logistics-embassy = Embassy
logistics-present-col = Present
logistics-assigned-col = Assigned
logistics-ready = Ready
logistics-blocked = Blocked
logistics-rate-title = Planned departure rate
logistics-rate-submit = Save the rate

## Movements list, preview before acting, departure time
logistics-movements-list = Movements
logistics-no-movements = No movements yet.
logistics-from = From
logistics-on-board = On board
logistics-arrival-check = Arrival check
logistics-arrival-closed = Closed
logistics-preview = Preview: count who matches
logistics-preview-count = { $count } persons match. Nobody has been moved or assigned yet.
field-departed-at = Departure time
logistics-departed-at-hint = Bangkok time. Leave empty if the vehicle leaves now.
err-too_far_ahead = cannot be more than a day from now
field-limit = Number of results

## Protection state on a person's logistics page
logistics-person-link = Whereabouts and protection
logistics-protection-state = Protection now
logistics-fear-of-return = Fear of return
logistics-protection-state-flagged = Flagged, not reviewed yet (sharing and departure blocked)
logistics-protection-state-upheld = Upheld on review (sharing and departure blocked)
logistics-protection-state-cleared = Cleared on review
logistics-none-recorded = None recorded
logistics-by-at = by { $who }, { $when }
logistics-reviewed = reviewed
logistics-disclosable = Identity may go to the embassy
