# Moei: English. Every key here must also be in th.ftl (a test checks).
lang-name = English
yes = Yes
no = No

## Navigation
nav-skip = Skip to content
nav-label = Main
nav-desk = Registration desk
nav-persons = Persons
nav-groups = Arrival groups
nav-stats = Statistics
nav-audit = Audit log
nav-users = Users
nav-logout = Log out

## Roles
role-admin = Administrator
role-registrar = Registrar
role-screener = Screener
role-mdt-member = MDT member
role-investigator = Investigator
role-facility-manager = Facility manager
role-embassy-officer = Embassy officer
role-analyst = Analyst

## Login
login-title = Log in
login-username = User name
login-password = Password
login-submit = Log in
login-failed = The user name or password is wrong.

## Registration desk
desk-title = Registration desk
desk-new-person = Register a person
desk-register = Register (Enter)
desk-registered = Registered:
desk-group = Arrival group
desk-leave-group = leave group
desk-groups = Recent arrival groups
desk-counts = Counts
desk-keyboard-hint = Tab moves between fields, Enter registers, Ctrl+Enter registers from the notes box. Sex: F, M or X. Date of birth: YYYY-MM-DD or only the year.
group-new = Open an arrival group
group-open = Open group
group-members = Members of this group
groups-title = Arrival groups

## Counts
count-today = Registered today
count-total = Registered in all
count-group = In this group
count-registered = Registered
count-by-nationality = By nationality
count-by-day = By day
stats-title = Statistics
stats-total = { $count ->
    [one] One person registered.
   *[other] { $count } persons registered.
}

## Fields
field-registration-number = Registration number
field-name = Name (Latin letters)
field-given-name = Given name
field-family-name = Family name
field-name-original-script = Name in original script
field-sex = Sex
field-date-of-birth = Date of birth
field-estimated-age = Estimated age
field-nationality = Nationality (claimed)
field-languages = Languages
field-has-identity-document = Holds an identity document
field-needs = Immediate needs
field-notes = Notes
field-registered-at = Registered
field-crossing-point = Crossing point
field-mode = Mode of crossing
field-arrived-at = Arrival time
field-headcount = Headcount
field-officer = Officer
field-arrival-group-id = Arrival group
field-photo = Photo
field-has-photo = Photo on file
field-photo-sha256 = Photo fingerprint
field-day = Day
field-cursor = Page
field-q = Search
field-username = User name
field-password = Password
field-agency = Agency

## Crossing modes
mode-bridge = Bridge
mode-boat = Boat
mode-raft = Raft
mode-wading = Wading
mode-vehicle = Vehicle
mode-other = Other

## Needs
need-injured = Injured
need-medical = Medical care
need-minor = Minor
need-pregnant = Pregnant
need-unaccompanied = Unaccompanied

## Person page
persons-title = Persons
person-edit = Add or correct details
person-save = Save changes
person-photo = Photo
person-photo-upload = JPEG or PNG, at most 5 MiB
person-photo-submit = Upload photo
person-timeline = Record history
event-registered = registered
event-updated = details changed
event-photo = photo added

## Search
search-q = Registration number or name
search-q-hint = MS-0000123 or part of a name
search-day = Registered on
search-submit = Search
search-none = No person matches.
search-next = Next page

## Audit and users
audit-title = Audit log
audit-at = When
audit-who = Who
audit-action = What
audit-target = Record
audit-origin = From
audit-chain-ok = The audit chain is intact ({ $count } rows).
audit-chain-broken = The audit chain is broken at row { $seq }.
users-title = Users
users-role = Role
users-agency = Agency
users-nationalities = Nationalities
users-cli-hint = Add users on the server with: moei user add NAME --role ROLE --password-stdin

## Errors
error-forbidden = Your role does not allow this.
error-not-found = No such record.
error-conflict = The record was changed by someone else; reload and try again.
error-internal = Something went wrong on the server. Nothing was saved.
error-csrf = This form has expired. Reload the page and try again.
err-required = is required
err-too_long = is too long
err-too_short = is too short
err-too_many = has too many entries
err-control_characters = contains characters that cannot be stored
err-invalid_sex = must be F, M or X
err-date_in_future = is in the future
err-date_too_old = is more than 120 years ago
err-invalid_year = is not a year
err-invalid_date_format = must be YYYY-MM-DD or a year YYYY
err-impossible_date = is not a real date
err-out_of_range = is out of range
err-unknown_nationality = is not a known nationality code (use XXX when unknown)
err-invalid_language = must be language codes such as en, th, my, hi
err-invalid_need = is not a known need
err-invalid_id = is not a valid id
err-unknown_group = is not a known arrival group
err-invalid_mode = is not a known mode of crossing
err-invalid_timestamp = must be a date and time such as 2025-10-22T14:30:00+07:00
err-unsupported_image = must be a JPEG or PNG image
err-too_large = is too large
err-invalid_cursor = is not a valid page
err-not_applicable = does not apply to this role
err-invalid_username = may use only a-z, 0-9, dot, dash and underscore
err-invalid_agency = is not a valid agency name
err-invalid = is not valid

## Identity documents
documents-title = Identity documents
documents-none = No document recorded.
doc-add = Record a document
doc-kind = Document
doc-status = Status
doc-save = Save document
doc-expiry = valid until
doc-expired = This document has expired.
doc-mrz-valid = Machine-readable zone: every check digit is correct.
doc-mrz-invalid = Machine-readable zone: checks failed (see the proposed corrections in the API).
doc-mrz-hint = Type, paste or scan both lines
doc-disagreements = The document disagrees with what the person stated:
doc-stated = stated
doc-on-document = on the document
doc-same-number = The same document number is recorded for:
doc-kind-passport = Passport
doc-kind-national-id = National identity card
doc-kind-seafarer-book = Seafarer's book
doc-kind-visa = Visa
doc-kind-other = Other document
doc-status-original-seen = Original seen
doc-status-copy-or-photo-only = Copy or photo only
doc-status-confiscated = Confiscated by employer or trafficker
doc-status-lost = Lost
doc-status-none = None
field-number = Document number
field-issuing-state = Issuing state
field-expiry-date = Valid until
field-mrz = Machine-readable zone (MRZ)
field-document = Document
event-document = document recorded
err-invalid_kind = is not a known kind of document
err-invalid_status = is not a known document status
err-unreadable_mrz = is not a machine-readable zone of any ICAO format

## Likely earlier registrations
match-title = Possibly registered before
match-hint = As you type, people already registered who may be the same person appear here, with the reasons. Check before registering again.
match-none = No likely earlier registration.
match-probability = likelihood
