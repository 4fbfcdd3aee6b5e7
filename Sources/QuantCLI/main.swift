print("quant: placeholder")
