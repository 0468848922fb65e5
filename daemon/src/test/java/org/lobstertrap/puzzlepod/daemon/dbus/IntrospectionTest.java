package org.lobstertrap.puzzlepod.daemon.dbus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.interfaces.Introspectable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.client.BusChoice;
import org.lobstertrap.puzzlepod.client.Manager1;
import org.lobstertrap.puzzlepod.testkit.DbusDaemon;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** The shipped introspection file describes exactly the interface the daemon exports. */
class IntrospectionTest {
    @TempDir Path dir;

    @Test
    void theFileMatchesTheLiveInterface() throws Exception {
        Map<String, String> file;
        try (InputStream in = IntrospectionTest.class.getResourceAsStream("/dbus/org.lobstertrap.PuzzlePod1.Manager.xml")) {
            assertThat(in).as("dbus/org.lobstertrap.PuzzlePod1.Manager.xml in the resources").isNotNull();
            file = members(parse(new InputSource(in)), true);
        }
        String live;
        try (DbusDaemon bus = DbusDaemon.startSession(dir.resolve("bus"), false);
             DBusConnection server = BusEndpoint.connect(BusChoice.address(bus.address()), () -> {});
             DBusConnection client = BusEndpoint.connect(BusChoice.address(bus.address()), () -> {})) {
            BusEndpoint endpoint = BusEndpoint.export(server, new StandInApi(), 0);
            endpoint.requestName();
            live = client.getRemoteObject(Manager1.BUS_NAME, Manager1.OBJECT_PATH, Introspectable.class).Introspect();
            endpoint.close();
        }
        Map<String, String> exported = members(parse(new InputSource(new StringReader(live))), false);
        assertThat(file).as("introspection file vs live object").containsExactlyEntriesOf(exported);
        assertThat(file).hasSize(19 + 5);
        // every member of the file says what it does
        assertThat(file.keySet()).allSatisfy(k -> assertThat(k).isNotBlank());
    }

    private static Document parse(InputSource in) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        // the DOCTYPE names a URL: never fetch it
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(in);
    }

    /** "method Name" / "signal Name" → "in:s,in:s,out:s" for the Manager interface. */
    private static Map<String, String> members(Document doc, boolean requireDocs) {
        Map<String, String> out = new TreeMap<>();
        NodeList ifaces = doc.getElementsByTagName("interface");
        Element manager = null;
        for (int i = 0; i < ifaces.getLength(); i++) {
            Element e = (Element) ifaces.item(i);
            if (e.getAttribute("name").equals(Manager1.INTERFACE)) manager = e;
        }
        assertThat(manager).as("interface " + Manager1.INTERFACE).isNotNull();
        for (String kind : List.of("method", "signal")) {
            NodeList ms = manager.getElementsByTagName(kind);
            for (int i = 0; i < ms.getLength(); i++) {
                Element m = (Element) ms.item(i);
                List<String> args = new ArrayList<>();
                NodeList as = m.getElementsByTagName("arg");
                for (int j = 0; j < as.getLength(); j++) {
                    Element a = (Element) as.item(j);
                    String dir = a.getAttribute("direction");
                    if (dir.isEmpty()) dir = kind.equals("signal") ? "out" : "in";
                    args.add(dir + ":" + a.getAttribute("type"));
                    if (requireDocs) assertThat(a.getAttribute("name")).as(kind + " " + m.getAttribute("name") + " arg " + j + " name").isNotEmpty();
                }
                if (requireDocs) {
                    boolean documented = false;
                    NodeList anns = m.getElementsByTagName("annotation");
                    for (int j = 0; j < anns.getLength(); j++) {
                        Element a = (Element) anns.item(j);
                        if (a.getAttribute("name").equals("org.freedesktop.DBus.DocString") && !a.getAttribute("value").isBlank()) documented = true;
                    }
                    assertThat(documented).as(kind + " " + m.getAttribute("name") + " has a DocString").isTrue();
                }
                out.put(kind + " " + m.getAttribute("name"), String.join(",", args));
            }
        }
        return out;
    }
}
