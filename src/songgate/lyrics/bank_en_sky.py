"""Hand-written lines: rain and weather, nature, and the seasons.

Each inner tuple is one rhyme family (same rhyming part of the end word by
the CMU dictionary); ``*...*`` marks a hook phrase that can title the song.
The seasons theme has a general bank and one per season, so a winter prompt
does not sing of spring blossoms.
"""

from __future__ import annotations

RAIN: tuple[tuple[str, ...], ...] = (
    (
        "We are *dancing in the rain*",
        "Drops are tapping on the window pane",
        "Puddles forming in the lane",
        "Washing off the dust and pain",
        "Storm clouds rolling through the plain",
        "Only silver skies remain",
    ),
    (
        "Hiding underneath a cloud",
        "The thunder rumbles long and loud",
        "Standing in the storm and proud",
        "Umbrellas bobbing in a crowd",
        "Sitting on a *silver cloud*",
        "Raindrops singing out loud",
    ),
    (
        "Find shelter from the storm",
        "Wrapped in blankets, safe and warm",
        "Watching as the clouds take form",
        "Calm will come *after the storm*",
        "Lightning dancing through the storm",
        "The tea is on, the kitchen's warm",
    ),
    (
        "Grey and heavy is the sky",
        "Nothing here is staying dry",
        "Even the clouds have learned to cry",
        "Watch the thunder rolling by",
        "Rivers rising way up high",
        "The rain will pass, and so will I",
    ),
    (
        "The gutters fill and start to flow",
        "The rain is falling soft and slow",
        "Puddles shining down below",
        "Flowers waiting for the rain to grow",
        "Candles casting a golden glow",
        "Follow *where the rivers flow*",
    ),
    (
        "Umbrella open over my head",
        "Sunshine waiting just ahead",
        "Watch the morning sky turn red",
        "Listening to the rain from bed",
        "Staying in with tea instead",
        "Gentle rain on the garden shed",
    ),
    (
        "Soaking every sidewalk through",
        "Waiting for the *skies of blue*",
        "The rain makes everything brand new",
        "Every raindrop bringing something new",
        "Puddle jumping, me and you",
        "I will weather it with you",
    ),
)

NATURE: tuple[tuple[str, ...], ...] = (
    (
        "Eagles soaring way up high",
        "Underneath a *painted sky*",
        "Watch the river rolling by",
        "Far away where the wild geese fly",
        "Mountains reaching for the sky",
        "Clouds like sheep go drifting by",
    ),
    (
        "Lying *underneath the stars*",
        "Far away from city cars",
        "Catching fireflies in jars",
        "Wilderness can heal our scars",
        "Counting Venus, counting Mars",
        "Sleeping bags and old guitars",
    ),
    (
        "Whispers dancing *through the trees*",
        "Mountain air and gentle breeze",
        "Rivers running to the seas",
        "Soft green moss beneath our knees",
        "Humming with the honey bees",
        "Lavender upon the breeze",
    ),
    (
        "Climbing up the *highest peak*",
        "Cool water running in the creek",
        "The forest has a way to speak",
        "Finding all the peace we seek",
        "Wind against my rosy cheek",
        "Sunlight on the mountain peak",
    ),
    (
        "Mountains capped with winter snow",
        "The valley sleeping far below",
        "Embers with a gentle glow",
        "Watch the mountain waters flow",
        "Where the tall green pine trees grow",
        "The wind is whispering soft and low",
    ),
    (
        "Breathing in the scent of pine",
        "Watch the silver moonlight shine",
        "Ridges in a jagged line",
        "The wild world is so divine",
        "Every falling star a sign",
        "Count the thousand *stars that shine*",
    ),
    (
        "Waking with the *morning sun*",
        "Where the wild horses run",
        "The earth and sky become as one",
        "Hiking till the day is done",
        "Wild and free beneath the sun",
        "Every trail has just begun",
    ),
)

SEASONS: tuple[tuple[str, ...], ...] = (
    (
        "Time goes by and *the seasons change*",
        "Colors shifting, rich and strange",
        "Every year feels new and strange",
        "Sky and meadow, open range",
        "Watch the world around us change",
    ),
    (
        "Round and round goes every year",
        "Every season, far and near",
        "Frosty mornings, crisp and clear",
        "Flowers waking, spring is near",
        "It's my favorite *time of year*",
        "Holding what we hold so dear",
    ),
    (
        "Every season has its time",
        "Watch the ivy slowly climb",
        "Nature keeping perfect time",
        "Feel the gentle *passing of time*",
        "Seasons turning like a rhyme",
        "Old church bells begin to chime",
    ),
    (
        "Summer green turns autumn gold",
        "Breath of winter, sharp and cold",
        "Stories that the seasons told",
        "Warm hands that I want to hold",
        "Every year the world grows old",
        "Rolling fields of *green and gold*",
    ),
    (
        "The calendar keeps turning round",
        "Another season on the ground",
        "Listen to the changing sound",
        "The turning year has come around",
        "A quiet beauty all around",
        "Every season, homeward bound",
    ),
    (
        "Every year the seasons *come and go*",
        "Blossom, leaf, and falling snow",
        "Nature has a rhythm we all know",
        "Watch the garden rest and grow",
        "The days are fast, the years are slow",
        "Shorter days and sunsets low",
    ),
    (
        "Every season has its *own sweet way*",
        "Another chapter, another day",
        "Colors come and fade away",
        "I wish this season here could stay",
        "The light is changing, gold and grey",
        "Morning frost and summer hay",
    ),
)

SEASONS_AUTUMN: tuple[tuple[str, ...], ...] = (
    (
        "Golden and crimson autumn leaves",
        "Wind is whistling through the eaves",
        "Harvest gathered into sheaves",
        "Every tree in autumn grieves",
        "Dancing with the *autumn leaves*",
    ),
    (
        "Sweaters on and here comes fall",
        "Pumpkins lined along the wall",
        "The geese are flying south, they call",
        "Red and yellow, one and all",
        "Hear the quiet *autumn call*",
    ),
    (
        "Maple trees are turning red",
        "Golden carpets widely spread",
        "Gardens sleeping in their bed",
        "Colder mornings up ahead",
    ),
)

SEASONS_WINTER: tuple[tuple[str, ...], ...] = (
    (
        "Quiet as the *falling snow*",
        "Fireplace with a gentle glow",
        "Frozen rivers down below",
        "Winter nights are long and slow",
        "Footprints where we used to go",
    ),
    (
        "Windows frosted in the freeze",
        "Silver icicles on the trees",
        "Snowflakes drifting on the breeze",
        "Sledding down the hill with ease",
    ),
    (
        "The world is *winter white*",
        "Candles burning through the night",
        "Short days and the fading light",
        "Holding you and holding tight",
    ),
)

SEASONS_SPRING: tuple[tuple[str, ...], ...] = (
    (
        "Cherry blossoms *in full bloom*",
        "Sunlight spilling in the room",
        "Lilacs with a sweet perfume",
        "Winter packing up its gloom",
    ),
    (
        "All the birds begin to sing",
        "Everything is new in spring",
        "Butterflies on painted wing",
        "Let's see the gifts the rains will bring",
        "Open windows, *here comes spring*",
    ),
    (
        "Softly falls the April rain",
        "Green is growing in the lane",
        "Fields of clover, fields of grain",
        "Robins singing in the rain",
    ),
)
