# matching: en strings.

## Navigation
nav-review = Review queue
nav-lists = Lists
nav-missing = Missing persons

## Review queue
review-title = Review queue
review-intro = Possible matches, best score first. Compare both records and the reasons, then decide. Every decision is recorded.
review-filter = Show
review-kind = Kind
review-status = Status
review-any = Any
review-empty = Nothing to review.
review-run-dedup = Find duplicate registrations
review-run-reports = Match all open missing-person reports
review-run-done = { $count } new candidates were added to the queue.
review-probability = Match probability: { $percent } %
review-this-person = Registered person
review-other = Possible match
review-why = Why
review-decided = { $status } by { $by }
review-reason = Reason (required to reject)
review-confirm = Confirm: same person
review-reject = Reject: not the same person
review-merge = Merge the second registration into the first
review-undo = Undo the merge
review-merge-hint = Merging keeps both records and all their history; lists and search show the first one. It can be undone.
review-open-record = Open record
kind-duplicate = Duplicate registration
kind-list = External list
kind-missing = Missing-person report
status-open = Open
status-confirmed = Confirmed
status-rejected = Rejected
status-merged = Merged
match-agrees = agrees
match-differs = differs
match-missing = not known on one side
match-field-name = Name
match-field-dateofbirth = Date of birth
match-field-sex = Sex
match-field-nationality = Nationality
match-field-document = Document number
match-field-phone = Phone
match-field-place = Place of origin
field-record-id = Record id
field-passport-number = Passport number
field-phone = Phone
field-place-of-origin = Place of origin
field-full-name = Full name
field-merged-into = Merged into
field-merged-from = Merged from
field-reason = Reason
field-decision = Decision
field-candidate-id = Candidate
field-merged-id = Record to merge
field-file = File
field-source = Source or agency
field-kind = Kind
field-status = Status
event-merge = merged
event-unmerge = merge undone

## Lists
lists-title = Lists
lists-intro = Authority lists, embassy nominal rolls and other lists, linked against everyone registered. The file needs a record_id column; other columns as for moei link.
lists-import = Import a list
lists-file = CSV or XLSX file
lists-accept = Keep the good rows even if some rows have problems
lists-submit = Import and link
lists-rows = Rows
lists-rejected = Rows left out
lists-imported = The list was imported: { $count } rows.
lists-problems = Rows with problems (nothing was stored):
lists-problems-kept = Rows left out:
list-kind-authority_list = Authority list
list-kind-embassy_roll = Embassy nominal roll
list-kind-other = Other list
field-list-name = List name

## Missing-person reports
missing-title = Missing-person reports
missing-intro = Reports entered for families by an NGO or an embassy. They are matched against everyone registered when entered and whenever a matching run is started.
missing-new = New report
missing-person = The missing person
missing-reporter = The family member reporting
missing-consent = The family agrees that this report may be shared with their country's embassy
missing-submit = Save and match
missing-saved = The report was saved; { $count } possible matches were added to the review queue.
missing-status-open = Still missing
missing-status-found = Found
missing-family-informed = Family informed
missing-inform = Record that the family was told
missing-none = No reports.
field-last-contact = Last contact
field-reporter-name = Reporter's name
field-reporter-relationship = Relationship to the missing person
field-reporter-contact = Reporter's contact
field-consent-to-share = Consent to share with the embassy
field-reporting-agency = Reporting organisation

## Errors
err-name_required = give at least one name, in any script
err-no_records = the file has no usable rows
err-outside_scope = embassy officers report only for their own nationals
err-same_person = a record cannot be merged into itself
err-not_this_pair = is not a candidate for these two records
err-invalid_decision = must be confirm, reject or merge
err-not_a_duplicate = only duplicate registrations can be merged
