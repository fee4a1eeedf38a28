"""Lyrics → Form: section markers, lines, syllables (CMU dictionary, pinyin, respelling)."""
