/* hs_host: to be written (foundation issue). */
