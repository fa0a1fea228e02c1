/* ael/expr.c - the C expression builder (aero/expr.h). */
