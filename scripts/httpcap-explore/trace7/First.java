import java.util.SplittableRandom;
public class First { public static void main(String[] a){ for (String s : a) { SplittableRandom r = new SplittableRandom(Long.parseLong(s)); double m30=0,m60=0; for(int i=0;i<60;i++){ double d=-Math.log(1-r.nextDouble()); if(i<30)m30+=d; m60+=d;} System.out.printf("%s first30 %.2f first60 %.2f%n", s, m30/30, m60/60);} } }
