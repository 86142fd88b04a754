# matching: en strings.
