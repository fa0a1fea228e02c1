/* net/conn.c - to be implemented */
