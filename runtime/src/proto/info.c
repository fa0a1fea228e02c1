/* proto/info.c - to be implemented */
