/* ael/expr.c - to be implemented */
