print("quant-bench: placeholder")
