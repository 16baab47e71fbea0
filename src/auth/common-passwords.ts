/**
 * Passwords that appear at the top of published breach-frequency lists (facts from the public
 * "most common passwords" rankings, e.g. NordPass and SplashData yearly lists, and the head of the
 * RockYou frequency list). Checked case-insensitively, also with trailing digits/symbols removed,
 * so "Password2024!" is rejected through "password".
 */
const LIST = `123456 123456789 12345678 12345 1234567 1234567890 qwerty password 111111 123123 000000 abc123
password1 1q2w3e4r 1q2w3e4r5t qwerty123 qwertyuiop 1qaz2wsx zaq12wsx asdfgh asdfghjkl zxcvbnm iloveyou
admin administrator welcome welcome1 letmein monkey dragon football baseball master sunshine princess
shadow superman batman trustno1 michael jennifer jordan hunter ranger buster soccer harley hockey
killer george charlie andrew thomas jessica pepper daniel access freedom whatever qazwsx passw0rd
p@ssw0rd p@ssword pa55word changeme default secret login starwars ninja mustang matrix internet
computer summer winter spring autumn flower cookie cheese chocolate banana orange purple yellow
lovely loveme hello hellohello hello123 test test123 testing guest root toor user demo sample
abcdef abcdefg abcdefgh 654321 7777777 888888 999999 121212 112233 159753 147258369 987654321
aaaaaa a1b2c3 a1b2c3d4 asdf1234 qwer1234 zxcv1234 password123 admin123 root123 iloveu
ashley nicole daniel1 michelle tigger sunflower samsung apple google microsoft facebook linkedin
football1 baseball1 superstar pokemon naruto minecraft fortnite liverpool chelsea arsenal barcelona
juventus realmadrid beijing shanghai woaini woaini1314 aini1314 5201314 1314520 qq123456 wang123
zhang123 iloveyou1 princess1 babygirl angel angels anthony joshua matthew justin tinkerbell
football2 jesus christ blessed heaven godisgood mynoob chatgpt openai aihub ai-hub letmein1
qwertyui asdfasdf zxczxc 1password changeit mypassword yourpassword nopassword secret123
company corporate business office manager support service security`;

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(LIST.split(/\s+/).filter(Boolean));
