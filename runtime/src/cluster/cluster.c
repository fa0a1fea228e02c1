/* cluster/cluster.c - to be implemented */
