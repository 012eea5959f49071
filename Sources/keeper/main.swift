print("keeper: not yet")
