"""The offline lyric writer: a pure library, English and Chinese.

    language.detect_language   prompt → "en" | "zh"
    topic_en / topic_zh        prompt → Topic (subject, setting, time, verb, scene nouns)
    english.write_english      prompt + seed → LyricSheet (rhymes from the CMU dictionary)
    chinese.write_chinese      prompt + seed → LyricSheet (rhymes by the thirteen rhyme classes)
    writer.write_lyrics        either, by the prompt's language, with title and style tags
"""
