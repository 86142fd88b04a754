# matching: th strings.
