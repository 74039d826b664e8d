"""Reading: safe program text and SymPy expressions become graphs."""
