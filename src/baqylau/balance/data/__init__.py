"""Demo inputs for the balance models (JSON); a package so the files ship with the wheel."""
