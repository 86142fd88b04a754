# screening: th strings.
