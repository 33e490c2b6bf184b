/* hs_loader: to be written (foundation issue). */
