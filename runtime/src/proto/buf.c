/* proto/buf.c - to be implemented */
