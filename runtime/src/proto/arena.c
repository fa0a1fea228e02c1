/* proto/arena.c - to be implemented */
