package org.lobstertrap.puzzlepod.ctl;

/** How results are printed: readable text, or the daemon's JSON pretty-printed. */
public enum OutputFormat {
    text, json
}
