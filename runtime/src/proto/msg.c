/* proto/msg.c - to be implemented */
