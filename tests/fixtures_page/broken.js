// A page widget for testing the book: its render fails, so the book must fall back to its picture.
export default {
  render() {
    throw new Error("the broken test widget cannot start");
  },
};
