# logistics: th strings.
