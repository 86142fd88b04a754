# screening: en strings.
