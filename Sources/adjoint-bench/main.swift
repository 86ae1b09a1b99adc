print("adjoint-bench")
