dist_man_MANS += man/wtc.1 man/worktraced.8
