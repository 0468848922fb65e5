package org.lobstertrap.puzzlepod.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lobstertrap.puzzlepod.rego.builtins.TextCalls.error;
import static org.lobstertrap.puzzlepod.rego.builtins.TextCalls.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lobstertrap.puzzlepod.rego.value.StringValue;

class TimeTest {
    private static final String NS = "1670006453141828752"; // 2022-12-02T18:40:53.141828752Z, a Friday

    private static String format(String tz, String layout) throws Exception {
        return json("time.format", "[" + NS + "," + StringValue.of(tz).toJson() + "," + StringValue.of(layout).toJson() + "]");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "UTC|Mon Jan _2 15:04:05 MST 2006|Fri Dec  2 18:40:53 UTC 2022",
        "UTC|Kitchen|6:40PM",
        "UTC|2006-01-02T15:04:05.000Z07:00|2022-12-02T18:40:53.141Z",
        "UTC|2006-01-02T15:04:05,999999Z0700|2022-12-02T18:40:53,141828Z",
        "UTC|Jan 2, 2006 at 3:04pm (MST)|Dec 2, 2022 at 6:40pm (UTC)",
        "UTC|002 __2 Monday January 06|336 336 Friday December 22",
        "America/New_York|RFC3339|2022-12-02T13:40:53-05:00",
        "America/New_York|MST -07 -07:00:00|EST -05 -05:00:00",
        "Asia/Kolkata|RFC1123Z|Sat, 03 Dec 2022 00:10:53 +0530",
        "Asia/Kolkata|Z07:00 Z0700|+05:30 +0530",
        "|RFC3339Nano|2022-12-02T18:40:53.141828752Z",
    })
    void formatsGoLayouts(String tz, String layout, String expected) throws Exception {
        assertThat(format(tz == null ? "" : tz, layout)).isEqualTo(StringValue.of(expected).toJson());
    }

    @Test void formatDefaultsAndTrimmedFractions() throws Exception {
        assertThat(json("time.format", "1500000000")).isEqualTo("\"1970-01-01T00:00:01.5Z\"");
        assertThat(json("time.format", "-1")).isEqualTo("\"1969-12-31T23:59:59.999999999Z\"");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "2006-01-02 15:04:05|2021-01-01 10:00:00.123|1609495200123000000",
        "Jan 2 2006|feb 3 2021|1612310400000000000",
        "RFC1123|Mon, 02 Jan 2006 15:04:05 MST|1136214245000000000",
        "2006-01-02T15:04:05-0700|2017-06-02T19:00:00-0700|1496455200000000000",
        "RFC822|02 Jun 17 19:00 UTC|1496430000000000000",
        "RFC3339|2017-06-02T19:00:00Z|1496430000000000000",
        "RFC3339|2017-06-02T19:00:00.5+01:00|1496426400500000000",
        "ANSIC|Fri Jun  2 19:00:00 2017|1496430000000000000",
        "02/01/2006 3PM|02/06/2017 7PM|1496430000000000000",
        "2006-002|2020-060|1582934400000000000",
    })
    void parsesGoLayouts(String layout, String value, String ns) throws Exception {
        assertThat(json("time.parse_ns", StringValue.of(layout).toJson(), StringValue.of(value).toJson())).isEqualTo(ns);
    }

    @Test void parseErrorsUseGoWording() {
        assertThat(error("time.parse_ns", "\"2006-01-02\"", "\"2021-02-30\"").getMessage())
                .isEqualTo("eval_builtin_error: time.parse_ns: parsing time \"2021-02-30\": day out of range");
        assertThat(error("time.parse_ns", "\"RFC3339\"", "\"2021-01-01\"").getMessage())
                .endsWith("parsing time \"2021-01-01\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"\" as \"T\"");
        assertThat(error("time.parse_ns", "\"2006\"", "\"2021x\"").getMessage()).endsWith("parsing time \"2021x\": extra text: \"x\"");
        assertThat(error("time.parse_ns", "\"01\"", "\"13\"").getMessage()).endsWith("parsing time \"13\": month out of range");
        assertThat(error("time.parse_ns", "\"Kitchen\"", "\"6:40PM\"").getMessage()).endsWith("time outside of valid range");
        assertThat(error("time.parse_rfc3339_ns", "\"2262-04-11T23:47:16.854775808Z\"").getMessage()).endsWith("time outside of valid range");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "1h30m|5400000000000", "1.5h|5400000000000", "-1.5h|-5400000000000", "300ms|300000000", "1µs|1000",
        "1us|1000", "2h45m30.5s|9930500000000", "0|0", "+5s|5000000000", ".5s|500000000",
        "9223372036854775807ns|9223372036854775807", "-9223372036854775808ns|-9223372036854775808",
    })
    void parsesGoDurations(String text, String ns) throws Exception {
        assertThat(json("time.parse_duration_ns", StringValue.of(text).toJson())).isEqualTo(ns);
    }

    @Test void durationErrors() {
        assertThat(error("time.parse_duration_ns", "\"\"").getMessage()).endsWith("time.parse_duration_ns: time: invalid duration \"\"");
        assertThat(error("time.parse_duration_ns", "\"1\"").getMessage()).endsWith("time: missing unit in duration \"1\"");
        assertThat(error("time.parse_duration_ns", "\"1x\"").getMessage()).endsWith("time: unknown unit \"x\" in duration \"1x\"");
        assertThat(error("time.parse_duration_ns", "\"9223372036854775808ns\"").getMessage()).endsWith("invalid duration \"9223372036854775808ns\"");
        assertThat(error("time.parse_duration_ns", "\".s\"").getMessage()).endsWith("invalid duration \".s\"");
    }

    @Test void calendarArithmeticNormalisesLikeGo() throws Exception {
        String jan31 = "1612051200000000000"; // 2021-01-31T00:00:00Z
        assertThat(json("time.add_date", jan31, "0", "1", "0")).isEqualTo("1614729600000000000"); // 2021-03-03
        assertThat(json("time.diff", jan31, "1614556800000000000")).isEqualTo("[0,1,1,0,0,0]");
        assertThat(json("time.add_date", jan31, "0", "0", "-31")).isEqualTo("1609372800000000000"); // 2020-12-31
        assertThat(error("time.add_date", jan31, "1000", "0", "0").getMessage()).endsWith("time outside of valid range");
    }

    @Test void zonesAndRanges() throws Exception {
        String monday = "1517832000000000000"; // 2018-02-05T12:00:00Z
        assertThat(json("time.weekday", "[" + monday + ", \"Pacific/Kiritimati\"]")).isEqualTo("\"Tuesday\"");
        assertThat(json("time.clock", "[" + monday + ", \"Asia/Kolkata\"]")).isEqualTo("[17,30,0]");
        assertThat(json("time.date", "[" + monday + ", \"UTC\"]")).isEqualTo("[2018,2,5]");
        assertThat(error("time.date", "[0, \"Mars/Olympus\"]").getMessage()).endsWith("time.date: unknown time zone Mars/Olympus");
        assertThat(error("time.date", "1.5").getMessage()).endsWith("time.date: timestamp too big");
        assertThat(error("time.date", "\"x\"").getMessage())
                .endsWith("time.date: operand 1 must be either number (ns) or [number (ns), string (tz)] but got string");
    }

    @Test void nowIsTheQueryClockAndNondeterministic() throws Exception {
        BuiltinContext ctx = BuiltinContext.simple();
        assertThat(TextCalls.call(ctx, "time.now_ns").toJson()).isEqualTo(Long.toString(ctx.timeNowNs()));
        assertThat(BuiltinRegistry.standard().lookup("time.now_ns").nondeterministic()).isTrue();
    }
}
