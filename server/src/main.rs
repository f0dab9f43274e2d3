fn main() {
    println!("genai-scope");
}
