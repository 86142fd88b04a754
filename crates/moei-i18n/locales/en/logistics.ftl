# logistics: en strings.
