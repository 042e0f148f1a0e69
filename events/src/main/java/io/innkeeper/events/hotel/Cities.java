package io.innkeeper.events.hotel;

import java.text.Normalizer;
import java.util.Locale;

/** How a city name becomes the key hotels are searched by. */
public final class Cities {
  private Cities() {}

  /**
   * The search key of a city: Unicode NFC (so "Zürich" typed with a combining diaeresis matches the
   * precomposed one), trimmed, inner whitespace collapsed to one space, lower case.
   */
  public static String key(String city) {
    String nfc = Normalizer.normalize(city, Normalizer.Form.NFC);
    return nfc.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }
}
