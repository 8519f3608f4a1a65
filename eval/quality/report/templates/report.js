
(function(){
  var buttons=document.querySelectorAll('.filters button[data-f]');
  function apply(f){
    document.querySelectorAll('details.item').forEach(function(d){
      d.style.display=(f==='all'||d.dataset.label===f||(f==='fail'&&d.dataset.label!=='none'))?'':'none';
    });
    buttons.forEach(function(b){b.classList.toggle('on',b.dataset.f===f);});
  }
  buttons.forEach(function(b){b.addEventListener('click',function(){apply(b.dataset.f);});});
  var ex=document.getElementById('expand');
  if(ex){ex.addEventListener('click',function(){
    var open=ex.dataset.open!=='1';ex.dataset.open=open?'1':'0';ex.textContent=open?'collapse all':'expand all';
    document.querySelectorAll('details.item').forEach(function(d){if(d.style.display!=='none')d.open=open;});
  });}
})();
