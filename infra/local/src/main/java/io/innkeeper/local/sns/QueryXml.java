package io.innkeeper.local.sns;

import java.io.ByteArrayOutputStream;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * SNS's AWS Query answers: {@code <ActionResponse><ActionResult>...</ActionResult>
 * <ResponseMetadata><RequestId/></ResponseMetadata></ActionResponse>} for success, {@code
 * <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>} for errors,
 * in SNS's namespace. Lists are {@code <member>} elements, maps {@code <entry><key/><value/>}.
 */
final class QueryXml {

  static final String NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/";

  private static final XMLOutputFactory FACTORY = XMLOutputFactory.newInstance();

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final XMLStreamWriter xml;

  private QueryXml() {
    try {
      xml = FACTORY.createXMLStreamWriter(out, "UTF-8");
      xml.writeStartDocument("UTF-8", "1.0");
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the body of a result. */
  @FunctionalInterface
  interface Body {
    void write(QueryXml xml);
  }

  /** A successful answer; {@code body} is {@code null} for actions without a result. */
  static byte[] result(String action, String requestId, Body body) {
    QueryXml x = new QueryXml();
    x.start(action + "Response");
    x.attribute("xmlns", NAMESPACE);
    if (body != null) {
      x.start(action + "Result");
      body.write(x);
      x.end();
    }
    x.start("ResponseMetadata");
    x.element("RequestId", requestId);
    x.end();
    x.end();
    return x.finish();
  }

  static byte[] error(SnsException e, String requestId) {
    QueryXml x = new QueryXml();
    x.start("ErrorResponse");
    x.attribute("xmlns", NAMESPACE);
    x.start("Error");
    x.element("Type", e.senderFault() ? "Sender" : "Receiver");
    x.element("Code", e.code());
    x.element("Message", e.getMessage());
    x.end();
    x.element("RequestId", requestId);
    x.end();
    return x.finish();
  }

  QueryXml start(String name) {
    try {
      xml.writeStartElement(name);
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
    return this;
  }

  QueryXml end() {
    try {
      xml.writeEndElement();
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
    return this;
  }

  /** {@code <name>text</name>}; nothing when {@code text} is {@code null}. */
  QueryXml element(String name, String text) {
    if (text == null) {
      return this;
    }
    try {
      xml.writeStartElement(name);
      xml.writeCharacters(text);
      xml.writeEndElement();
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
    return this;
  }

  /** {@code <name><entry><key/><value/></entry>...</name>}. */
  QueryXml map(String name, Map<String, String> entries) {
    start(name);
    entries.forEach(
        (key, value) -> {
          start("entry");
          element("key", key);
          element("value", value);
          end();
        });
    return end();
  }

  private void attribute(String name, String value) {
    try {
      xml.writeAttribute(name, value);
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] finish() {
    try {
      xml.writeEndDocument();
      xml.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }
}
