# documents: en strings.
