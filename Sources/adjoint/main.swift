print("adjoint 0.1.0")
