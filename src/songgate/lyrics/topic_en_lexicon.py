"""English association lexicon: a subject's natural company, and which words set a scene.

Our own data, written by hand. ``COMPANY`` maps a noun (singular, lower
case) to nouns that belong in the same scene: a train brings a platform, a
carriage and a station; a dog on a beach brings paws and a ball. The writer
sings them beside the prompt's own nouns, so a verse can tell the scene
even when the prompt names only its subject. Every word here is in the CMU
dictionary (the tests check), so it scans as the engine sings it.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    """A set of words written as one string, space separated."""
    return frozenset(text.split())


_COMPANY = """
train: platform, carriage, station, ticket, window, tracks, whistle
bus: bus stop, window seat, driver, ticket, crowded street
taxi: meter, back seat, headlights, city lights, empty road
car: highway, radio, headlights, open road, engine
bicycle: handlebars, pedals, wheels, bell, country road
bike: handlebars, pedals, wheels, bell, country road
boat: harbor, oars, sail, water, shore
ship: harbor, anchor, deck, sail, open sea
plane: runway, clouds, window seat, wings, airport
pilot: cockpit, runway, clouds, wings, horizon
astronaut: rocket, helmet, stars, silence, distant earth
rocket: launch pad, stars, countdown, sky, engine
earth: oceans, continents, blue horizon, sunrise, atmosphere
moon: stars, tide, night sky, silver light, shadows
sun: morning, golden light, sky, horizon, shadows
star: night sky, moon, darkness, wish, heaven
sky: clouds, stars, birds, horizon, sunset
cloud: sky, wind, rain, sunlight, mountains
dog: paws, ball, tail, leash, backyard
puppy: paws, ball, tail, leash, backyard
cat: whiskers, paws, blanket, sunlight, window
kitten: whiskers, paws, blanket, sunlight, window
horse: saddle, meadow, mane, hooves, open plain
bird: feathers, wings, branches, sky, morning song
firefly: lantern, summer grass, darkness, glow, evening air
butterfly: wings, flowers, meadow, summer air, garden
fish: river, water, net, waves, harbor
fisherman: nets, harbor, waves, boat, morning tide
sea: waves, shore, salt, tide, seagulls
ocean: waves, shore, salt, tide, seagulls
wave: sand, shore, foam, tide, seagulls
beach: sand, waves, shells, seagulls, footprints
island: palm trees, shore, waves, harbor, lighthouse
lighthouse: beacon, rocks, waves, storm, harbor
river: water, stones, bridge, current, riverbank
lake: water, pier, reeds, ripples, morning mist
mountain: summit, trail, pine trees, snow, valley
forest: pine trees, trail, branches, moss, shadows
garden: roses, soil, flowers, gate, rain
rose: petals, thorns, garden, stems, rain
flower: petals, garden, stems, rain, sunlight
tree: branches, leaves, roots, shade, wind
snow: snowflakes, footprints, frozen ground, cold air, fireplace
rain: raindrops, puddles, umbrella, clouds, window
storm: thunder, lightning, clouds, wind, shelter
wind: leaves, kite, sky, whispers, clouds
kite: string, wind, sky, hill, tail
winter: snow, frost, fireplace, cold air, scarf
summer: sunshine, warm nights, fields, ice cream, long days
autumn: leaves, harvest, cold wind, sweater, October
spring: blossoms, rain, green fields, birds, April
night: stars, moon, street lights, shadows, silence
morning: sunrise, coffee, birds, window, dew
city: streets, lights, crowds, skyline, traffic
street: corner, street lights, sidewalk, traffic, windows
village: rooftops, chimneys, fields, church bells, lanes
town: main street, rooftops, corner store, lights, square
home: front door, kitchen, porch, family, windows
house: front door, kitchen, porch, attic, windows
kitchen: table, oven, bread, window, family
garage: workbench, tools, dust, door, boxes
school: classroom, blackboard, hallway, bell, lockers
classroom: blackboard, desks, windows, bell, lessons
playground: swings, slide, sandbox, gate, laughter
park: benches, swings, trees, pathway, pigeons
bakery: bread, flour, oven, morning, counter
bookstore: shelves, pages, stories, dust, counter
library: shelves, pages, stories, silence, lamps
shop: counter, shelves, window, doorbell, street
coffee: cup, morning, newspaper, window, table
newspaper: headlines, coffee, pages, morning, table
cafe: coffee, table, window, waiter, music
club: dance floor, music, lights, crowd, stage
jazz: saxophone, piano, smoke, stage, night
piano: keys, melody, hall, silence, candlelight
guitar: strings, melody, chords, porch, songs
song: melody, words, chorus, radio, voices
letter: envelope, pages, ink, words, mailbox
candle: flame, window, shadows, light, darkness
photograph: frame, faces, memories, smiles, album
wedding: vows, rings, dress, dance, flowers
vineyard: grapes, vines, wine, hills, sunset
party: music, lights, friends, dancing, balloons
birthday: candles, cake, friends, wishes, balloons
carnival: ferris wheel, lights, music, crowds, cotton candy
festival: lanterns, music, crowds, lights, fireworks
marathon: finish line, miles, crowd, heartbeat, road
runner: finish line, miles, crowd, heartbeat, road
race: finish line, crowd, heartbeat, track, starting gun
game: field, crowd, scoreboard, bleachers, cheers
baseball: bat, glove, bleachers, field, summer
soccer: ball, field, goal, crowd, whistle
soldier: uniform, letters, battlefield, boots, home
war: battlefield, soldiers, smoke, letters, silence
nurse: hospital, night shift, hallway, patients, morning
doctor: hospital, patients, hallway, heartbeat, night shift
teacher: classroom, blackboard, students, lessons, books
farmer: fields, harvest, tractor, soil, sky
farm: fields, barn, harvest, tractor, soil
driver: steering wheel, highway, headlights, radio, road
robot: circuits, wires, metal heart, code, lights
computer: screen, keyboard, code, lights, messages
phone: messages, screen, voice, calls, silence
mother: kitchen, apron, lullaby, home, stories
mom: kitchen, apron, lullaby, home, stories
father: workshop, old truck, stories, porch, home
dad: workshop, old truck, stories, porch, home
grandfather: stories, armchair, porch, old songs, garden
grandpa: stories, armchair, porch, old songs, garden
grandmother: kitchen, stories, garden, apron, recipes
grandma: kitchen, stories, garden, apron, recipes
brother: childhood, games, bicycles, backyard, summers
sister: childhood, secrets, games, backyard, summers
daughter: tiny hands, laughter, bedtime, stories, steps
son: tiny hands, laughter, bedtime, stories, steps
baby: cradle, lullaby, tiny hands, bedtime, smile
friend: laughter, stories, road, secrets, years
child: toys, laughter, playground, bedtime, stories
time: clock, hours, sand, seasons, years
clock: hours, minutes, hands, ticking, midnight
hope: light, morning, sunrise, road, dawn
courage: heartbeat, road, storm, fire, dawn
silence: words, shadows, empty room, footsteps, night
argument: words, silence, doors, shadows, apology
dream: stars, night, sky, wings, morning
love: heart, promise, kiss, roses, ring
freedom: open road, wings, sky, wind, horizon
memory: photographs, years, old songs, faces, summers
desert: sand, sun, dunes, heat, horizon
road: miles, highway, dust, signs, horizon
bridge: river, water, railing, lights, city
hall: stage, chairs, lights, echo, silence
prairie: grass, wind, horizon, fences, sky
field: grass, wind, fences, flowers, sky
window: glass, curtains, light, rain, street
"""


def _parse(block: str) -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for raw in block.strip().splitlines():
        head, _, rest = raw.partition(":")
        table[head.strip()] = tuple(item.strip() for item in rest.split(",") if item.strip())
    return table


COMPANY: dict[str, tuple[str, ...]] = _parse(_COMPANY)

# Nouns that set the scene: a place a story happens in.
SETTINGS = _words(
    "beach sea ocean shore island river lake mountain forest garden city street village town "
    "home house kitchen garage school classroom playground park bakery bookstore library shop "
    "cafe club vineyard desert road bridge hall prairie field farm station platform harbor "
    "valley hill meadow sky earth moon space church hospital office room bedroom backyard "
    "highway airport market square alley rooftop coast bay countryside world"
)
# Words that say when: seasons, times of day, occasions.
TIMES = _words(
    "winter summer autumn fall spring night morning evening dawn dusk midnight noon afternoon "
    "sunday monday friday saturday weekend christmas today tonight yesterday year years "
    "december january october july august april"
)
# Relatives: "my mother", never "the mother".
RELATIVES = _words(
    "mother mom mum father dad grandfather grandpa grandmother grandma brother sister "
    "daughter son wife husband family uncle aunt cousin friend"
)
# Nouns sung without an article ("I remember hope", not "the hope").
BARE = _words(
    "hope courage love time freedom home faith peace silence heaven christmas coffee jazz "
    "baseball soccer music childhood snow rain sunshine midnight tonight bedtime"
)

# A theme's everyday scene, for a subject the lexicon does not know: the song still sings
# the prompt's own nouns, between these.
THEME_COMPANY: dict[str, tuple[str, ...]] = {
    "love": ("the evening light", "the open door", "the kitchen table", "the quiet street"),
    "heartbreak": ("the empty room", "the window", "the rain", "the last goodbye"),
    "summer": ("the sun", "the open sea", "the long days", "the warm night"),
    "night": ("the street lights", "the midnight train", "the neon signs", "the city"),
    "party": ("the music", "the dance floor", "the lights", "the crowd"),
    "home": ("the front porch", "the kitchen", "the old house", "the garden"),
    "friendship": ("the old days", "the open road", "the stories", "the laughter"),
    "travel": ("the open road", "the highway", "the map", "the miles"),
    "rain": ("the rain", "the clouds", "the window", "the puddles"),
    "dreams": ("the morning", "the stars", "the open sky", "the road ahead"),
    "nature": ("the river", "the trees", "the mountains", "the meadow"),
    "seasons": ("the falling leaves", "the cold wind", "the first snow", "the fields"),
    "work": ("the morning train", "the office lights", "the coffee", "the long day"),
    "freedom": ("the open road", "the wind", "the wide sky", "the horizon"),
    "memories": ("the photographs", "the old songs", "the school yard", "the summers"),
    "celebration": ("the candles", "the music", "the fireworks", "the lights"),
}
EVERYDAY: tuple[str, ...] = ("the morning", "the window", "the street", "the evening light")
