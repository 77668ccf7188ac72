/**
 * The built-in training text: an original essay about learning, attention and reading (~19 KB).
 * It keeps real uncertainty (no repeated sentences), so the masked model's loss levels off well above 0.
 * Plain ASCII; no backticks or dollar-brace sequences (it is a template literal).
 */
export const DEFAULT_CORPUS = `On Learning to Read the World

I.

Nobody remembers learning to read. We remember the books, perhaps, and the chair by the window, and the smell of the library in winter, but the moment when a row of marks on paper first turned into a voice inside the head is lost to almost all of us. It happened slowly and then all at once. One week the letters were separate creatures, each with its own shape and its own sound, and the next week they had begun to hold hands. A child sounds out c, then a, then t, and somewhere between the second letter and the third a small animal appears, sitting on a mat that was not there a moment earlier.

What strikes me now, looking back across many years of reading, is how much of that early work was guessing. The child does not know the word before it arrives. She has the first two letters and a picture on the page and a sense of what the story has been about, and from these scraps she makes a bet. Often the bet is wrong. She says "cart" when the word is "cat," or "house" when it is "horse," and someone gently corrects her, and the correction lands because she was already leaning forward, already committed to an answer. A mistake made in earnest teaches more than a right answer copied from the back of the book.

II.

There is an old saying among carpenters that the wood will tell you where it wants to split. Apprentices do not believe this at first. They see a plank as a plank, uniform and obedient, and they force the saw through it along a pencil line. Only after ruining a good many boards do they begin to notice the grain, the knots, the faint differences in colour that mark the slow and fast seasons of the tree. The knowledge was available from the first day; it was written plainly on the surface of the wood. What the apprentice lacked was not information but attention, and attention, it turns out, is learned by failing while paying it.

I think about that often when I watch people study. A student with a textbook open and a highlighter in hand can spend an afternoon colouring whole pages yellow and come away with nothing. Her eyes passed over every line. She did not skip a word. Yet when you close the book and ask her what the chapter said, she frowns and reaches for it again. The words went in, but they did not go anywhere. They were not placed beside anything she already knew, and they were never asked to do work.

Compare a second student, who reads one paragraph, closes the book, and tries to explain it aloud to an empty kitchen. He stumbles. He finds that he cannot say why the second step follows from the first, so he opens the book again, reads more slowly, and closes it once more. This is uncomfortable and it looks inefficient; an hour later he has covered only four pages. But he can now reconstruct those four pages from memory, argue with them, and notice when a later chapter quietly contradicts them. He has been feeling his way along the walls.

III.

Psychologists have a name for the discomfort the second student feels. They call it desirable difficulty, which is a wonderfully academic way of saying that things which are hard to do in the right way tend to stay with us. Spacing practice out over days feels worse than cramming it into a single evening. Mixing different kinds of problems feels worse than doing twenty of the same kind in a row. Testing yourself feels worse than rereading. In every case the easier method produces a warm sense of fluency, and in every case the harder method produces more durable memory.

The reason seems to be that memory is not a warehouse but a habit of reconstruction. When you recall a fact, you do not fetch it from a shelf; you rebuild it from cues, and the act of rebuilding strengthens the paths that lead to it. If the fact is sitting right in front of you, there is nothing to rebuild. The paths are never walked, and grass grows over them. This is why a flashcard works only when you answer before you turn it over. The moment you peek, the card becomes a mirror, and a mirror teaches nothing but your own face.

IV.

Machines that learn from text face a version of the same problem, and the way engineers solved it is, to my mind, one of the quiet elegances of the field. A language model is trained to predict the next piece of a sentence from the pieces that came before. It reads "the cat sat on the" and is asked to guess what follows. At first its guesses are random. Each time it guesses, it is told how surprised it should have been by the true answer, and it adjusts its internal numbers a little so as to be less surprised next time. Over millions of such guesses the numbers settle into something that resembles, in a strange and partial way, knowledge of how language goes.

The model looks at the earlier words through a mechanism called attention. For every position in the text it computes how much each other position matters, and it blends information from the positions that matter most. A pronoun can look back to the noun it stands for; a closing bracket can look back to the opening one; the end of a rhyme can look back to its beginning. Attention is flexible. It can reach anywhere it is allowed to reach.

And there lies the danger. During training the whole sentence is laid out at once, because that is efficient: the machine can practise on every position in parallel. But if every position is allowed to look at every other, then the position whose job is to guess the fourth word can simply look at the fourth word. It does not need to understand cats or mats or the habits of sentences. It can copy. Its guesses become perfect almost immediately, its surprise drops to nothing, and the signal that was supposed to shape its numbers falls silent. The machine has found the back of the book.

V.

The remedy is a mask. Before the attention scores are turned into weights, every score that would let a position see its own future is replaced with negative infinity, so that after the softmax its weight is exactly zero. The position that must guess the fourth word may look at the first three, and at itself, and nothing else. Now the guessing is honest. The loss stays high for a long time, which looks like bad news on a chart, but it is the best news a learner can have: there is still something to learn, and every mistake carries information about what.

It matters that the value is truly infinite. Engineers have sometimes used a large finite number instead, minus ten thousand, say, reasoning that it is close enough. But a learning system is a patient opportunist. Given enough steps, it will push the unmasked scores higher and higher until a weight of e to the minus ten thousand, multiplied by a large enough reward, begins to matter, and the leak reopens. Infinity cannot be outgrown.

It also matters where the mask begins. A position is allowed to see itself, because the word it is sitting on is part of the past from its point of view; the mask hides only what lies strictly to the right. Shift the boundary by one and you either blind the model to the word it has just read, or hand it the word it is about to be tested on. Both mistakes are easy to make and hard to see, because the code runs without complaint either way.

VI.

There is a test that reveals the cheat, and it is worth describing because it applies to people as well. Take the model that was trained with its eyes open to the future, and ask it to write. Writing is done one word at a time. When it produces the fourth word, the fourth word does not exist yet; there is nothing to copy. All of its skill was the skill of looking ahead, and now there is no ahead to look at. What comes out is noise, or the same letter over and over, or a string of fragments that never quite cohere. Its training loss said it was brilliant. Its writing says it learned nothing at all.

A masked model of the same size, trained on the same text for the same number of steps, writes something that is not good, exactly, but recognisably shaped like language. The words are often invented, yet they are invented in the right proportions of vowels and consonants, with spaces in plausible places and capital letters after full stops. It has learned the texture of English without its meaning, which is roughly what a very small model can hope for. It has learned, in other words, to search.

The student who memorised the answer key is in the same position on the day of the exam. His practice scores were excellent. He was never wrong. But the answers were never his; they belonged to the key, and the key stayed home.

VII.

I want to say something about the dark room, since it is the image that has stayed with me longest. Imagine that you have lost a ring in a room with no light. You cannot simply walk to it. You must go down on your hands and knees and sweep the floor with your palms, feeling the boards, the gap under the door, the leg of a chair, the edge of a rug. It is slow. You will touch many things that are not the ring. But by the time you find it, you know that room. You could cross it again in darkness without stumbling, and if you lost something else tomorrow you would know where things tend to roll.

Now imagine that someone switches on the light and points. You find the ring at once. You have learned nothing about the room, and nothing about searching, and the next time the power fails you will be exactly as lost as you were before. The light was kind, and it was also a theft. It took away the only part of the experience that would have lasted.

This is not an argument for darkness as a virtue in itself. A good teacher does not hide things to be cruel. She hides them so that the student's own effort has somewhere to go, and she chooses carefully how much to hide: enough that the task is hard, not so much that it is hopeless. The mask in a language model is the same kind of choice. It hides exactly the part of the text that the model will not have when it is used for real, and nothing more.

VIII.

Reading, in the end, is a long apprenticeship in prediction. A practised reader is always slightly ahead of the page. She expects the verb before it arrives; she feels the turn of an argument in the word "however" and braces for it; she notices with pleasure when a writer defies her expectation in a way that turns out to be right. Much of the delight of a good sentence is the delight of a prediction overturned. A joke works the same way. So does a melody that lands on an unexpected note and makes it sound inevitable.

None of this would be possible if the reader could see the whole book at once, in the way the unmasked model sees its whole window. The expectation, the surprise, the small adjustment of the mind that follows each surprise, all depend on the future being hidden. We learn the shape of what is coming only because it has not come yet.

IX.

Some practical advice follows from all this, for anyone trying to learn something difficult. Cover the answer before you try the problem. Say what you think will happen before you run the experiment. When you read a proof, stop before each step and ask what you would do next; you will often be wrong, and the wrongness is where the understanding grows. Keep a list of the questions you got wrong and come back to them after a few days, when they have become hard again. Do not trust the feeling of fluency that comes from rereading; it is the feeling of the light being on.

Be patient with the plateau. In the chart of a masked model's loss, there is a long stretch where the line drifts downward only slowly, and it is tempting to think nothing is happening. Something is happening. The model is learning that "q" is nearly always followed by "u", that a space rarely follows another space, that sentences end with full stops and the next one begins with a capital letter. Each of these lessons removes a sliver of surprise, and the slivers add up. A human learner has plateaus of the same kind, and they feel the same from the inside: like standing still while running.

X.

Teachers sometimes worry that making things hard will make students give up, and the worry is fair. Difficulty is desirable only when it is survivable. A child handed a novel in a language she has never seen will not learn to read from it; she will learn to hate novels. The art is in the size of the step. The carpenter's apprentice is given cheap pine before he is trusted with walnut. The music student plays scales before sonatas. The language model is shown short windows of text before it is asked to keep long ones in mind.

Good feedback helps too. The loss that a learning machine receives after each guess is a very precise kind of feedback: not merely right or wrong, but how wrong, and in which direction. People rarely get feedback that clean. We are told that an essay was good or weak, that a performance went well, that a proof has a gap somewhere. Part of becoming an expert is learning to generate sharper feedback for yourself, to notice not only that a sentence is clumsy but why, and what the smallest repair would be.

XI.

There is a kind of reading that is almost the opposite of study, and it deserves a word of defence. Sometimes we read for the pleasure of being carried, without stopping to test ourselves, letting a story pull us downstream. This is not wasted time. The carried reader absorbs rhythms and turns of phrase, the sound of dialogue, the way a paragraph breathes. She is being trained too, by sheer exposure, in the same way that a child who is read to at bedtime learns what stories are before she can read a single word.

Even here, though, the future is hidden, and that is the point of it. A novel read with the last chapter already known is a different book. The suspense that makes us turn pages is the pleasure of not knowing, and the satisfaction of an ending is the satisfaction of a long prediction finally settled. Take away the hiding and you take away the story.

XII.

Let me end with a small experiment you can run in your head. Think of a word, any word, and cover all but its first letter. Guess the next letter. Now uncover it and guess the one after. Notice how the space of possibilities narrows with each letter, quickly at first and then more slowly, and how your guesses are shaped by everything you have ever read. That narrowing is what a language model learns. It is also, I suspect, a fair picture of what happens when a person comes to understand anything at all: a wide field of possibilities, slowly pruned by experience, until the next step feels obvious.

It only feels obvious afterwards. Before, it was a dark room, and the only way across was to put out a hand and feel for the wall.

XIII.

A few notes, gathered over the years, on things that helped me learn.

Write in the margins. A book that has been argued with is a book that has been read. The argument need not be clever; a question mark beside a doubtful claim, or a short note that says "compare chapter two," is enough to turn the reader from a spectator into a participant.

Explain it to a friend who did not ask. If you cannot put an idea into plain words, you do not own it yet. The friend will be bored, but the explanation will reveal the places where your understanding is thin, the way frost reveals the cracks in a pavement.

Sleep on it. Much of the consolidation of memory happens at night, when the brain replays the day's experiences in a compressed and shuffled form. A problem that would not yield at midnight often looks simple over breakfast, not because you were tired but because something went on working while you were not.

Change the setting. Studying the same material in two different rooms, or at two different times of day, seems to make it easier to recall later in a third. The memory becomes less tied to its surroundings and more tied to its meaning.

Draw it. Even a crude diagram forces decisions that prose lets you avoid. Which thing connects to which? What flows where? When I first tried to understand attention, I drew a grid of small squares, one row for each word and one column for each word it might look at, and shaded in the squares by hand. The triangle of blank squares above the diagonal, the future that each word may not see, made more sense to me as a picture than it ever had as an equation.

Keep going when it is boring. Not every hour of learning is a revelation. Most are ordinary, and some are tedious, and the tedious ones count just as much. Fluency in anything, a language, an instrument, a trade, is built from thousands of small repetitions that nobody photographs.

XIV.

I once spent a summer learning to sail on a small lake. The instructor was a quiet man who said almost nothing during the first week. He let me capsize. He let me drift into the reeds and sit there, becalmed and embarrassed, while the other boats went past. Only when I had found my own way out did he paddle over and ask what I thought had gone wrong. By the end of the summer I could read a gust on the water before it reached me, a dark ripple moving across the surface like a hand brushing velvet. I do not think I would have learned to see those ripples if he had simply told me where they were. He kept the answer in his pocket, and the keeping was the lesson.

Years later, reading about how language models are trained, I recognised him at once. The mask is a quiet instructor. It does not tell the model what comes next; it only makes sure that the model cannot cheat, and then it waits.

XV.

My grandmother kept a garden on a steep hillside, and she used to say that weeds were the best teachers she ever had. They taught her which corners of the slope held water after rain and which dried out by noon, where frost settled on clear nights, and which patch of soil was too thin for anything but thyme. She never read a book about gardening. She knelt in the dirt every morning for forty years and paid attention to what came up, and to what did not, and to why.

When a seedling failed she would dig it up and look at the roots. Were they rotten, or dry, or eaten? Had a mole tunnelled underneath? Each failure was a small letter from the ground, and she read her letters carefully. By the time I knew her she could glance at a bed of lettuce and tell you, with unsettling accuracy, what the weather had been doing for the past fortnight.

XVI.

It would be a mistake to end on too solemn a note, because learning is also play. Children invent games with rules they change every few minutes, and in doing so they discover what rules are for. A chess player replays a famous game and stops at move twenty to guess what the master did next, half hoping to be wrong so that there will be something to study. A cook tastes the soup, adds a pinch of salt, and tastes again. All of these are small loops of guess, check, and adjust, the same loop that runs inside every learning machine, and all of them depend on the answer arriving after the guess rather than before it.

So cover the page. Make your bet. Then look, and let the surprise do its quiet work.
`;
