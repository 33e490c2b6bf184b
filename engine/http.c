/* hs_http: to be written (foundation issue). */
