print("notebook-mini1: placeholder")
