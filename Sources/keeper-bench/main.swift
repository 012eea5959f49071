print("keeper-bench: not yet")
