package io.innkeeper.local.sns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AWS Query parameters exactly as the AWS CLI 2.9 sent them to SNS (captured from the wire). */
class QueryRequestTest {

  @Test
  void givenTheCliPublish_whenParsed_thenMessageIdsAndEveryAttributeTypeComeOut() {
    QueryRequest r =
        QueryRequest.parse(
            "Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000"
                + "%3At.fifo&Message=hi+there&MessageAttributes.entry.1.Name=type"
                + "&MessageAttributes.entry.1.Value.DataType=String"
                + "&MessageAttributes.entry.1.Value.StringValue=x"
                + "&MessageAttributes.entry.2.Name=n&MessageAttributes.entry.2.Value.DataType=Number"
                + "&MessageAttributes.entry.2.Value.StringValue=5"
                + "&MessageAttributes.entry.3.Name=b&MessageAttributes.entry.3.Value.DataType=Binary"
                + "&MessageAttributes.entry.3.Value.BinaryValue=AQID"
                + "&MessageDeduplicationId=d1&MessageGroupId=g1");

    assertEquals("Publish", r.get("Action"));
    assertEquals("arn:aws:sns:us-east-1:000000000000:t.fifo", r.get("TopicArn"));
    assertEquals("hi there", r.get("Message"));
    assertEquals("g1", r.get("MessageGroupId"));
    Map<String, MessageAttribute> a = r.messageAttributes("MessageAttributes");
    assertEquals(List.of("type", "n", "b"), List.copyOf(a.keySet()));
    assertEquals(MessageAttribute.string("x"), a.get("type"));
    assertEquals(MessageAttribute.number("5"), a.get("n"));
    assertArrayEquals(new byte[] {1, 2, 3}, a.get("b").binaryValue());
  }

  @Test
  void givenTheCliCreateTopic_whenParsed_thenTheAttributesMapComesOut() {
    QueryRequest r =
        QueryRequest.parse(
            "Action=CreateTopic&Version=2010-03-31&Name=t.fifo&Attributes.entry.1.key=FifoTopic"
                + "&Attributes.entry.1.value=true&Attributes.entry.2.key=ContentBasedDeduplication"
                + "&Attributes.entry.2.value=true");

    assertEquals(
        Map.of("FifoTopic", "true", "ContentBasedDeduplication", "true"), r.map("Attributes"));
  }

  @Test
  void givenTheCliPublishBatch_whenParsed_thenEntriesComeOutInIndexOrder() {
    QueryRequest r =
        QueryRequest.parse(
            "Action=PublishBatch&Version=2010-03-31&TopicArn=arn&"
                + "PublishBatchRequestEntries.member.2.Id=b&PublishBatchRequestEntries.member.2.Message=m2"
                + "&PublishBatchRequestEntries.member.10.Id=j&PublishBatchRequestEntries.member.10.Message=m10"
                + "&PublishBatchRequestEntries.member.1.Id=a&PublishBatchRequestEntries.member.1.Message=m1"
                + "&PublishBatchRequestEntries.member.1.MessageGroupId=g");

    List<QueryRequest> entries = r.members("PublishBatchRequestEntries");
    assertEquals(List.of("a", "b", "j"), entries.stream().map(e -> e.get("Id")).toList());
    assertEquals("g", entries.get(0).get("MessageGroupId"));
  }

  @Test
  void givenBadInput_whenParsed_thenSnsErrors() {
    assertThrows(SnsException.class, () -> QueryRequest.parse("Message=%zz"));
    assertThrows(
        SnsException.class,
        () ->
            QueryRequest.parse(
                    "MessageAttributes.entry.1.Name=b&MessageAttributes.entry.1.Value.DataType=Binary"
                        + "&MessageAttributes.entry.1.Value.BinaryValue=***")
                .messageAttributes("MessageAttributes"));
    SnsException missing =
        assertThrows(
            SnsException.class, () -> QueryRequest.parse("Action=Subscribe").required("TopicArn"));
    assertEquals("InvalidParameter", missing.code());
  }
}
