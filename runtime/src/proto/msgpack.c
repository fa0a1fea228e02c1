/* proto/msgpack.c - to be implemented */
