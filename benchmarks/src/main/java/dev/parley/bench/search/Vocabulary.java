package dev.parley.bench.search;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A fixed, made-up vocabulary of pronounceable words (the same on every run: seeded), about one
 * word in twelve carrying a diacritic, drawn with Zipf frequencies (rank r with weight 1/(r+1)), so
 * that message bodies have very common words, rare ones and everything between, as real text has.
 */
final class Vocabulary {
  private static final String[] ONSETS = {"b", "c", "d", "f", "g", "l", "m", "n", "p", "r", "s", "t", "v",
      "br", "ch", "gr", "pl", "st", "tr"};
  private static final String[] VOWELS = {"a", "e", "i", "o", "u", "ai", "ou"};
  private static final String[] ACCENTED = {"é", "è", "ü", "ö", "à", "ñ", "ç", "í"};

  private final List<String> words;
  private final double[] cumulative;

  Vocabulary(int size) {
    Random random = new Random(20261204L);
    Set<String> unique = new LinkedHashSet<>();
    while (unique.size() < size) {
      StringBuilder w = new StringBuilder();
      int syllables = 2 + random.nextInt(3);
      for (int s = 0; s < syllables; s++) {
        w.append(ONSETS[random.nextInt(ONSETS.length)]).append(VOWELS[random.nextInt(VOWELS.length)]);
      }
      if (random.nextInt(12) == 0) {
        int at = random.nextInt(w.length());
        w.replace(at, at + 1, ACCENTED[random.nextInt(ACCENTED.length)]);
      }
      unique.add(w.toString());
    }
    words = List.copyOf(unique);
    cumulative = new double[size];
    double sum = 0;
    for (int r = 0; r < size; r++) {
      sum += 1.0 / (r + 1);
      cumulative[r] = sum;
    }
    for (int r = 0; r < size; r++) {
      cumulative[r] /= sum;
    }
  }

  /** The word of frequency rank {@code rank} (0 = the most common). */
  String word(int rank) {
    return words.get(rank);
  }

  int size() {
    return words.size();
  }

  /** The first word at or after {@code rank} that carries a diacritic. */
  String firstAccentedFrom(int rank) {
    for (int r = rank; r < words.size(); r++) {
      if (!stripped(words.get(r)).equals(words.get(r))) {
        return words.get(r);
      }
    }
    throw new IllegalStateException("no accented word after rank " + rank);
  }

  /** The word as typed without its diacritics. */
  static String stripped(String word) {
    return Normalizer.normalize(word, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
  }

  /** A message body of {@code min} to {@code max} words. */
  String body(SplittableRandom random, int min, int max) {
    int n = min + random.nextInt(max - min + 1);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        b.append(' ');
      }
      int at = Arrays.binarySearch(cumulative, random.nextDouble());
      b.append(words.get(Math.min(at < 0 ? -at - 1 : at, words.size() - 1)));
    }
    return b.toString();
  }

  /** All words, most common first. */
  List<String> words() {
    return new ArrayList<>(words);
  }
}
