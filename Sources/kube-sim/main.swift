print("kube-sim: not yet")
