package io.innkeeper.local.sns;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A message attribute as SNS takes it: a data type ({@code String}, {@code String.Array}, {@code
 * Number}, {@code Binary}, or one of those with a custom suffix such as {@code String.tenant}) and
 * either a string value or, for the binary types, bytes.
 *
 * @param dataType the data type, e.g. {@code String}
 * @param stringValue the value for the string and number types, else {@code null}
 * @param binaryValue the value for the binary types, else {@code null}
 */
public record MessageAttribute(String dataType, String stringValue, byte[] binaryValue) {

  public MessageAttribute {
    Objects.requireNonNull(dataType, "dataType");
    binaryValue = binaryValue == null ? null : binaryValue.clone();
  }

  public static MessageAttribute string(String value) {
    return new MessageAttribute("String", value, null);
  }

  public static MessageAttribute number(String value) {
    return new MessageAttribute("Number", value, null);
  }

  /** A {@code String.Array}: {@code json} is a JSON array, e.g. {@code ["a", 1, true]}. */
  public static MessageAttribute stringArray(String json) {
    return new MessageAttribute("String.Array", json, null);
  }

  public static MessageAttribute binary(byte[] value) {
    return new MessageAttribute("Binary", null, value);
  }

  @Override
  public byte[] binaryValue() {
    return binaryValue == null ? null : binaryValue.clone();
  }

  /** {@code String}, {@code Number} or {@code Binary}: the type without its custom suffix. */
  String baseType() {
    int dot = dataType.indexOf('.');
    return dot < 0 ? dataType : dataType.substring(0, dot);
  }

  boolean isBinary() {
    return baseType().equals("Binary");
  }

  boolean isStringArray() {
    return dataType.equals("String.Array");
  }

  /** The value as SNS writes it into a notification: the string, or the bytes in Base64. */
  String printable() {
    return isBinary() ? Base64.getEncoder().encodeToString(binaryValue) : stringValue;
  }

  /** What the value counts towards SNS's 256 KiB message limit, with name and type. */
  int size(String name) {
    return utf8(name)
        + utf8(dataType)
        + (isBinary() ? binaryValue.length : stringValue == null ? 0 : utf8(stringValue));
  }

  private static int utf8(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MessageAttribute other
        && dataType.equals(other.dataType)
        && Objects.equals(stringValue, other.stringValue)
        && Arrays.equals(binaryValue, other.binaryValue);
  }

  @Override
  public int hashCode() {
    return Objects.hash(dataType, stringValue, Arrays.hashCode(binaryValue));
  }

  @Override
  public String toString() {
    return dataType + "=" + printable();
  }
}
