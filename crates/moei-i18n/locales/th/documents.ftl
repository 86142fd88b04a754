# documents: th strings.
